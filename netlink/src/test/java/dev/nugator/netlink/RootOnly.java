package dev.nugator.netlink;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Runs a test class only as root, which creating namespaces and links needs; skips it otherwise. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RootOnly.Condition.class)
@interface RootOnly {
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return isRoot()
                    ? ConditionEvaluationResult.enabled("running as root")
                    : ConditionEvaluationResult.disabled("needs root: creates network namespaces and links");
        }

        /** /proc/self belongs to the process's user. */
        static boolean isRoot() {
            try {
                return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
    }
}
