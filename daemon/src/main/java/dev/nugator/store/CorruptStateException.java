package dev.nugator.store;

/** A stored record exists but cannot be read: its owner falls back to what the runtime sent. */
public final class CorruptStateException extends RuntimeException {
    public CorruptStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
