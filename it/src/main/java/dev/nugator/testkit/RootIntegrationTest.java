package dev.nugator.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs root and real namespaces: it runs only where {@link RootCondition}
 * allows, and {@link LeakCheck} fails the class if it leaves a namespace or a nugatord behind.
 * Put it on every class that uses {@link Netns}, {@link NodeNamespace} or {@link Nugatord}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("root")
@ExtendWith(RootCondition.class)
@ExtendWith(LeakCheck.class)
public @interface RootIntegrationTest {}
