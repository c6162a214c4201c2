package dev.nugator.link;

/** Where one end of a link's veth is: inside its pod under the link's interface name, or parked in nugatord's namespace. */
public sealed interface Place {
    String name();

    /** In the pod's network namespace (a path such as /run/netns/cni-1234), named as the link says. */
    record InPod(String netns, String name) implements Place {
        @Override
        public String toString() {
            return name + " in " + netns;
        }
    }

    /** In nugatord's own namespace, down, under its {@link ParkedNames parked name}. */
    record Parked(String name) implements Place {
        @Override
        public String toString() {
            return name + " (parked)";
        }
    }
}
