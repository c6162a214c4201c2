package dev.nugator.testkit;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting for something the product does asynchronously (a link applied while pods run is made by
 * a store watch, not by the command that wrote it). Never asserts timing: the deadline only keeps a
 * broken product from hanging the suite, and the failure shows the last thing seen.
 */
public final class Await {
    /** Generous: the machine may be busy with a build; a correct product is far quicker. */
    public static final Duration DEFAULT = Duration.ofSeconds(30);

    private Await() {}

    /**
     * Polls {@code probe} until {@code done} holds for its value and returns that value; after
     * {@code timeout} an AssertionError names {@code what} and prints the last value.
     */
    public static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 20;
        while (true) {
            T value = probe.get();
            if (done.test(value)) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what + "; last seen:\n" + value);
            }
            FileTrees.pause(pause);
            pause = Math.min(pause * 2, 500);
        }
    }

    public static <T> T until(String what, Supplier<T> probe, Predicate<T> done) {
        return until(what, DEFAULT, probe, done);
    }
}
