package dev.nugator.daemon;

import java.io.IOException;

/**
 * The bytes of request bodies that all connections together may hold in memory. A declared frame
 * length costs nothing; bytes are paid for as they arrive, so a hundred callers that announce 4 MiB
 * and stall cost nothing, and callers that really send more than nugatord can hold are refused
 * instead of exhausting the heap.
 *
 * <p>Large bodies may use only part of the budget: the rest stays for small ones, which is every
 * request the shim sends, so that large senders cannot shut real CNI calls out.
 */
final class ByteBudget {
    private final long total;
    private final long keptForSmall;
    private long used;

    /** Refused bytes: nugatord is receiving as much as it will hold; the caller should try again later. */
    static final class Exhausted extends IOException {
        Exhausted(String message) {
            super(message);
        }
    }

    ByteBudget(long total, long keptForSmall) {
        if (keptForSmall < 0 || keptForSmall > total) {
            throw new IllegalArgumentException("kept for small bodies (" + keptForSmall + ") must be within the total (" + total + ")");
        }
        this.total = total;
        this.keptForSmall = keptForSmall;
    }

    /** Takes {@code bytes} from the budget, or throws when a body of this kind may take no more. */
    synchronized void take(long bytes, boolean large) throws Exhausted {
        long limit = large ? total - keptForSmall : total;
        if (used + bytes > limit) {
            throw new Exhausted("the request bodies it is receiving already hold %d of the %d bytes it allows for %s requests"
                    .formatted(used, limit, large ? "large" : "all"));
        }
        used += bytes;
    }

    synchronized void give(long bytes) {
        used -= bytes;
    }

    synchronized long used() {
        return used;
    }
}
