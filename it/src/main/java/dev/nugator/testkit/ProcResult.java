package dev.nugator.testkit;

import java.time.Duration;
import java.util.List;

/**
 * What a finished process left behind. Kept whole (both streams, the exit code, the command) so
 * that a failing assertion can print everything a reader needs without re-running anything.
 */
public record ProcResult(List<String> command, int exitCode, String stdout, String stderr, Duration elapsed) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** A one-paragraph description for assertion messages. */
    public String describe() {
        return "`%s` exited %d after %d ms%n--- stdout ---%n%s%n--- stderr ---%n%s"
                .formatted(String.join(" ", command), exitCode, elapsed.toMillis(), stdout, stderr);
    }

    /** Returns this result, or throws with the whole output when the process did not exit 0. */
    public ProcResult requireSuccess() {
        if (!succeeded()) {
            throw new AssertionError(describe());
        }
        return this;
    }
}
