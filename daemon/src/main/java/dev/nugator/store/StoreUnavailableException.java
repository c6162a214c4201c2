package dev.nugator.store;

/** The store cannot be reached or written now; a retry later may succeed (CNI error 11). */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
