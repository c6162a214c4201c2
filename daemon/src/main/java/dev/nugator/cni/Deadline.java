package dev.nugator.cni;

import java.time.Duration;

/** A point in time by which a command must be done; every external call waits at most until it. */
public record Deadline(long atNanos, Duration budget) {

    public static Deadline in(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos(), budget);
    }

    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, atNanos - System.nanoTime()));
    }

    public boolean passed() {
        return atNanos - System.nanoTime() <= 0;
    }

    /** Throws "try again later" when the deadline has passed, naming what was being waited for. */
    public void check(String what) {
        if (passed()) {
            throw expired(what);
        }
    }

    public CniError expired(String what) {
        return new CniError(CniError.TRY_AGAIN_LATER,
                what + " did not finish within the command deadline of " + budget.toSeconds() + " s");
    }
}
