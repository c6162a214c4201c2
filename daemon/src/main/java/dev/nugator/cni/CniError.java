package dev.nugator.cni;

/**
 * A failure the runtime must see as a CNI error: a code from the spec (or ours, 100 and up), a
 * message naming what was wrong, and optional details. Only the daemon's ErrorMapper turns
 * other exceptions into these.
 */
public class CniError extends RuntimeException {
    public static final int INCOMPATIBLE_VERSION = 1;
    public static final int UNSUPPORTED_FIELD = 2;
    public static final int UNKNOWN_CONTAINER = 3;
    public static final int INVALID_ENVIRONMENT = 4;
    public static final int IO_FAILURE = 5;
    public static final int DECODING_FAILURE = 6;
    public static final int INVALID_CONFIG = 7;
    public static final int TRY_AGAIN_LATER = 11;
    public static final int NOT_AVAILABLE = 50;
    public static final int NOT_AVAILABLE_DEL_FAILS = 51;
    /** A delegate failed without giving a CNI error of its own (crash, garbage on stdout). */
    public static final int DELEGATE_FAILED = 100;
    public static final int DELEGATE_NOT_FOUND = 101;
    public static final int ALREADY_ATTACHED = 102;
    public static final int CHECK_FAILED = 103;
    public static final int PROTOCOL_MISMATCH = 104;
    /** A link's interface could not be made (the kernel refused, or a foreign interface has its name). */
    public static final int LINK_FAILED = 105;
    public static final int INTERNAL = 110;

    private final int code;
    private final String details;

    public CniError(int code, String message) {
        this(code, message, "");
    }

    public CniError(int code, String message, String details) {
        this(code, message, details, null);
    }

    public CniError(int code, String message, String details, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.details = details == null ? "" : details;
    }

    public int code() {
        return code;
    }

    public String details() {
        return details;
    }

    public static CniError invalidConfig(String field, String problem) {
        return new CniError(INVALID_CONFIG, "invalid network config: " + field + " " + problem);
    }

    /** The same error with a prefix saying where it happened, e.g. which delegate. */
    public CniError within(String where) {
        return new CniError(code, where + ": " + getMessage(), details, this);
    }
}
