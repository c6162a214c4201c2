package dev.nugator.daemon;

import java.time.Duration;
import java.util.Arrays;
import org.slf4j.Logger;

/**
 * Logs one kind of warning at most once per period and says how many it held back, so that a
 * caller who sends a flood of bad requests cannot flood the log (or fill the disk) as well.
 */
final class WarningThrottle {
    private final Logger log;
    private final long periodNanos;
    private long lastNanos;
    private boolean logged;
    private int heldBack;

    WarningThrottle(Logger log, Duration period) {
        this.log = log;
        this.periodNanos = period.toNanos();
    }

    void warn(String format, Object... args) {
        int skipped;
        synchronized (this) {
            long now = System.nanoTime();
            if (logged && now - lastNanos < periodNanos) {
                heldBack++;
                return;
            }
            skipped = heldBack;
            heldBack = 0;
            lastNanos = now;
            logged = true;
        }
        if (skipped == 0) {
            log.warn(format, args);
        } else {
            Object[] withCount = Arrays.copyOf(args, args.length + 1);
            withCount[args.length] = skipped;
            log.warn(format + " ({} more like it since the last such warning)", withCount);
        }
    }
}
