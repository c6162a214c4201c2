package dev.nugator.cni;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where any exception becomes a CNI error. */
public final class ErrorMapper {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {}

    public static CniError toCniError(Throwable failure) {
        return switch (failure) {
            case CniError error -> error;
            case UncheckedIOException io -> new CniError(CniError.IO_FAILURE, "I/O failure: " + io.getCause().getMessage());
            case IOException io -> new CniError(CniError.IO_FAILURE, "I/O failure: " + io.getMessage());
            default -> {
                log.error("internal error", failure);
                yield new CniError(CniError.INTERNAL, "nugatord internal error: " + failure,
                        "see nugatord's log for the stack trace");
            }
        };
    }
}
