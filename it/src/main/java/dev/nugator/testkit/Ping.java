package dev.nugator.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * "Does the ping cross?" the way a user asks it: busybox ping from inside one namespace. A first
 * packet may be lost while ARP resolves, so a ping is retried a few times before it counts as
 * failed; a link that is really broken fails every try.
 */
public final class Ping {
    public static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final int TRIES = 3;

    private Ping() {}

    /** One {@code busybox ping -c 1 -W 2 address} inside {@code from}. */
    public static ProcResult once(Netns from, String address) {
        if (!Files.isExecutable(BUSYBOX)) {
            throw new IllegalStateException(BUSYBOX + " is missing: install busybox-static (make deps)");
        }
        return from.exec(Duration.ofSeconds(15), BUSYBOX.toString(), "ping", "-c", "1", "-W", "2", address);
    }

    /** Whether a ping from {@code from} to {@code address} is answered within a few tries. */
    public static boolean crosses(Netns from, String address) {
        for (int i = 0; i < TRIES; i++) {
            if (once(from, address).succeeded()) {
                return true;
            }
        }
        return false;
    }

    /** Requires a ping to be answered; the AssertionError shows the last try and the namespace's links. */
    public static void assertCrosses(Netns from, String address) {
        ProcResult last = null;
        for (int i = 0; i < TRIES; i++) {
            last = once(from, address);
            if (last.succeeded()) {
                return;
            }
        }
        throw new AssertionError("ping from " + from + " to " + address + " does not cross\n" + last.describe()
                + "\n--- links in " + from + " ---\n" + from.run("ip", "addr").stdout());
    }

    /** Requires a ping NOT to be answered (a single try: the link is expected to be gone or dark). */
    public static void assertDoesNotCross(Netns from, String address) {
        var result = once(from, address);
        if (result.succeeded()) {
            throw new AssertionError("ping from " + from + " to " + address + " crosses but should not\n" + result.describe());
        }
    }
}
