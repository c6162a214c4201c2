package dev.nugator.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a test method of a class with a {@link ClusterLab}: that test's fabric and node uplinks get
 * this MTU, whatever the lab's (a jumbo underlay for one test, the class's others on Ethernet).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface UnderlayMtu {
    int value();
}
