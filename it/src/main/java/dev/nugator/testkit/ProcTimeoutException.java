package dev.nugator.testkit;

import java.time.Duration;
import java.util.List;

/** A process that outlived its deadline and was killed; the message holds what it printed. */
public final class ProcTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProcTimeoutException(List<String> command, Duration deadline, String stdout, String stderr) {
        super("`%s` did not finish within %d ms and was killed%n--- stdout ---%n%s%n--- stderr ---%n%s"
                .formatted(String.join(" ", command), deadline.toMillis(), stdout, stderr));
    }
}
