package dev.nugator.plugin;

import dev.nugator.cni.CniError;
import dev.nugator.link.LinkConflictException;
import dev.nugator.link.LinkFailure;
import dev.nugator.store.StoreUnavailableException;
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
            case StoreUnavailableException store -> new CniError(CniError.TRY_AGAIN_LATER,
                    "the link store is unavailable: " + store.getMessage(), "the runtime may retry");
            // a link's store write (its VNI, say) the store did not take: as retryable as any other
            case LinkFailure link when link.getCause() instanceof StoreUnavailableException -> new CniError(CniError.TRY_AGAIN_LATER,
                    link.getMessage(), "the link store is unavailable; the runtime may retry");
            case LinkFailure link -> new CniError(CniError.LINK_FAILED, link.getMessage());
            case LinkConflictException conflict -> new CniError(CniError.LINK_FAILED, conflict.getMessage());
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
