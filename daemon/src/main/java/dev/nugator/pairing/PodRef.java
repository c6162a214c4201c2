package dev.nugator.pairing;

import java.util.regex.Pattern;

/**
 * A pod as links name it: Kubernetes namespace and name. podman sends the container name as the
 * pod name and no namespace, so the namespace defaults to {@code default}.
 */
public record PodRef(String namespace, String name) implements Comparable<PodRef> {
    public static final String DEFAULT_NAMESPACE = "default";
    /** Kubernetes names (DNS-1123) and container names (podman allows capitals and underscores). */
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.\\-]{0,252}$");

    public PodRef {
        if (!NAME.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace '" + namespace + "' is not a valid name");
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("pod name '" + name + "' is not a valid name");
        }
    }

    /** Parses {@code namespace/name} or {@code name} (in {@code defaultNamespace}). */
    public static PodRef parse(String text, String defaultNamespace) {
        int slash = text.indexOf('/');
        return slash < 0 ? new PodRef(defaultNamespace, text) : new PodRef(text.substring(0, slash), text.substring(slash + 1));
    }

    /**
     * Written out, as is {@link #hashCode}: a record's own go through method handles that
     * nugatord's C1 code does not inline, and a pod is a map key on every ADD's path.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof PodRef pod && namespace.equals(pod.namespace) && name.equals(pod.name);
    }

    @Override
    public int hashCode() {
        return 31 * namespace.hashCode() + name.hashCode();
    }

    @Override
    public int compareTo(PodRef other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
