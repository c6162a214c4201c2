package dev.nugator.shim;

import java.nio.charset.StandardCharsets;

/**
 * VERSION is answered by the shim itself: runtimes (libcni, podman) validate a config with
 * VERSION before nugatord may be running, and with no "socket" key in what they send. The shim
 * and nugatord ship together, so the list is the daemon's too.
 */
final class VersionAnswer {
    static final String SUPPORTED = "[\"0.1.0\",\"0.2.0\",\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]";

    private VersionAnswer() {}

    static byte[] json() {
        return ("{\"cniVersion\":\"1.1.0\",\"supportedVersions\":" + SUPPORTED + "}\n").getBytes(StandardCharsets.UTF_8);
    }
}
