package dev.nugator.link;

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

/** Runs a test class only as root (it makes namespaces, links and a panel); skips it otherwise. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RootOnly.Condition.class)
@interface RootOnly {
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            try {
                return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0
                        ? ConditionEvaluationResult.enabled("running as root")
                        : ConditionEvaluationResult.disabled("needs root: makes network namespaces");
            } catch (IOException | UnsupportedOperationException e) {
                return ConditionEvaluationResult.disabled("cannot tell whether this runs as root: " + e);
            }
        }
    }
}
