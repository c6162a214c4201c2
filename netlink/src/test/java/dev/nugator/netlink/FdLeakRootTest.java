package dev.nugator.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every path closes what it opened: successes, kernel refusals and validation failures alike. */
@RootOnly
class FdLeakRootTest {
    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @Test
    void aThousandOperationsLeaveNoFdBehind() throws IOException {
        var a = namespaces.create();
        var b = namespaces.create();
        warmUp(a, b);
        long before = openFds();

        for (int i = 0; i < 1000; i++) {
            operate(a, b, i);
        }

        assertThat(openFds()).isEqualTo(before);
    }

    private static void operate(TestNamespaces.Netns a, TestNamespaces.Netns b, int i) {
        switch (i % 5) {
            case 0 -> {
                try (NetNamespace netns = NetNamespace.named(b.name()); RtNetlink rtnl = RtNetlink.openIn(netns)) {
                    rtnl.links();
                }
            }
            case 1 -> {
                a.rtnl().createVeth(VethSpec.of("ntla", "ntlb").peerIn(b.namespace()));
                a.rtnl().addAddress("ntla", InetAddress.ofLiteral("10.3.0.1"), 24);
                a.rtnl().deleteLink("ntla");
            }
            case 2 -> ignoring(() -> a.rtnl().deleteLink("ntlnone"));
            case 3 -> ignoring(() -> NetNamespace.named("ntlnosuchns"));
            default -> ignoring(() -> a.rtnl().createLink("ntld", "dummy"));
        }
    }

    /** Loads classes and starts the switcher's threads, whose own fds are not a leak. */
    private static void warmUp(TestNamespaces.Netns a, TestNamespaces.Netns b) {
        for (int i = 0; i < 10; i++) {
            operate(a, b, i);
        }
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static void ignoring(Runnable failing) {
        try {
            failing.run();
        } catch (RuntimeException expected) {
            // the failure is the point: its fds must still be closed
        }
    }
}
