package dev.nugator.testkit;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Unique names for everything a test creates. Everything starts with {@code nt} so that a human
 * (or a leak check) can tell test debris from the machine's own namespaces and links, and a random
 * suffix keeps parallel runs and leftovers of a crashed run from colliding.
 */
public final class Names {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Names() {}

    /** {@code prefix-xxxxxx}; the prefix must start with "nt". */
    public static String unique(String prefix) {
        if (!prefix.startsWith("nt")) {
            throw new IllegalArgumentException("test-made names start with \"nt\": " + prefix);
        }
        return prefix + "-" + hex(3);
    }

    /**
     * A name that is also a valid interface name (at most 15 bytes, no '-' to keep it plain):
     * {@code prefix} followed by random hex up to 15 characters in total.
     */
    public static String ifname(String prefix) {
        if (!prefix.startsWith("nt") || prefix.length() > 9) {
            throw new IllegalArgumentException("interface prefix must start with \"nt\" and leave room: " + prefix);
        }
        return prefix + hex(3);
    }

    /** A container id shaped like the ones containerd and podman send (64 hex digits). */
    public static String containerId() {
        return hex(32);
    }

    public static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
