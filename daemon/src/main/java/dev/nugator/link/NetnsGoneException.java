package dev.nugator.link;

/** A pod's network namespace no longer exists: the pod is as good as absent. */
public final class NetnsGoneException extends RuntimeException {
    public NetnsGoneException(String netns, Throwable cause) {
        super("network namespace " + netns + " is gone", cause);
    }
}
