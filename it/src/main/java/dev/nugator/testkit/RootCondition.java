package dev.nugator.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test only where it can mean something: as root (namespaces, links, iptables), with the
 * {@code ip} command and Debian's reference plugins present. Elsewhere the test is reported as
 * skipped with the reason, so a developer's unprivileged {@code mvn verify} stays useful and
 * never half-creates namespaces. A missing {@code dist/} is not a reason to skip: that fails in
 * {@link Dist}, because a suite that tested nothing must not look green.
 */
public final class RootCondition implements ExecutionCondition {
    private static final String[] IP_LOCATIONS = {"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"};

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!isRoot()) {
            return ConditionEvaluationResult.disabled("needs root: nugator integration tests create network namespaces"
                    + " (run `make test` as root)");
        }
        if (!hasIpCommand()) {
            return ConditionEvaluationResult.disabled("needs the `ip` command (iproute2): run `make deps`");
        }
        if (!Files.isExecutable(Dist.SYSTEM_CNI_BIN.resolve("bridge"))) {
            return ConditionEvaluationResult.disabled("needs Debian's containernetworking-plugins in "
                    + Dist.SYSTEM_CNI_BIN + ": run `make deps`");
        }
        return ConditionEvaluationResult.enabled("root, ip and reference plugins present");
    }

    /** Effective uid 0, read from /proc so that no JDK-internal API is needed. */
    public static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .map(line -> line.split("\\s+")[2])
                    .anyMatch("0"::equals);
        } catch (IOException e) {
            return false;
        }
    }

    static boolean hasIpCommand() {
        for (String location : IP_LOCATIONS) {
            if (Files.isExecutable(Path.of(location))) {
                return true;
            }
        }
        return false;
    }
}
