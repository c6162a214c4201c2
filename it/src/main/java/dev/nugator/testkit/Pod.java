package dev.nugator.testkit;

import java.nio.file.Path;

/**
 * What a runtime hands a CNI plugin for one sandbox: a network namespace it made and a container
 * id. No runtime is involved; the test plays the runtime. Closing removes the namespace.
 */
public final class Pod implements AutoCloseable {
    private final Netns netns;
    private final String containerId;

    private Pod(Netns netns, String containerId) {
        this.netns = netns;
        this.containerId = containerId;
    }

    /** A pod namespace {@code ntpod-xxxxxx} (loopback up) with a fresh 64-hex container id. */
    public static Pod create() {
        return new Pod(Netns.create("ntpod"), Names.containerId());
    }

    public Netns netns() {
        return netns;
    }

    /** CNI_NETNS. */
    public Path netnsPath() {
        return netns.path();
    }

    /** CNI_CONTAINERID. */
    public String containerId() {
        return containerId;
    }

    @Override
    public void close() {
        netns.close();
    }

    @Override
    public String toString() {
        return netns.name() + "/" + containerId.substring(0, 12);
    }
}
