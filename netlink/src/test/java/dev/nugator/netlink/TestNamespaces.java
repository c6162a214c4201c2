package dev.nugator.netlink;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes real network namespaces for a test ({@code ip netns add ntl...}) and always removes them
 * after it, pass or fail, closing our fds and sockets first. Tests create links only inside these,
 * never in the machine's own namespace.
 */
final class TestNamespaces implements AfterEachCallback {
    /** One test namespace: its name, our fd to it, and a socket inside it. */
    record Netns(String name, NetNamespace namespace, RtNetlink rtnl) {}

    private final List<String> names = new ArrayList<>();
    private final List<Netns> created = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    Netns create() {
        String name = "ntl" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        Ip.run("netns", "add", name);
        names.add(name);
        NetNamespace namespace = NetNamespace.named(name);
        Netns netns = new Netns(name, namespace, RtNetlink.openIn(namespace));
        created.add(netns);
        return netns;
    }

    /** Closes {@code closeable} after the test, before the namespaces go. */
    <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        closeables.clear();
        for (Netns netns : created) {
            netns.rtnl().close();
            netns.namespace().close();
        }
        created.clear();
        for (String name : names) {
            Ip.run("netns", "del", name);
        }
        names.clear();
    }
}
