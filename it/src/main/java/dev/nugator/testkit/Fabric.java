package dev.nugator.testkit;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The "switch" between test nodes: a namespace holding bridge {@code br0} to which every node's
 * {@code eth0} is wired by a veth. It exists so that nodes have a real underlay (for macvlan
 * masters, and later for VXLAN between nodes) while the machine's root namespace is never touched.
 * Node addresses are handed out from 198.18.0.0/24 (RFC 2544 benchmarking space), one per node.
 */
public final class Fabric implements AutoCloseable {
    public static final String BRIDGE = "br0";

    private final Netns netns;
    private final AtomicInteger nextHost = new AtomicInteger(1);

    private Fabric(Netns netns) {
        this.netns = netns;
    }

    public static Fabric create() {
        var netns = Netns.create("ntfab");
        try {
            netns.ip("link", "add", BRIDGE, "type", "bridge");
            netns.ip("link", "set", BRIDGE, "up");
            return new Fabric(netns);
        } catch (RuntimeException | AssertionError e) {
            netns.close();
            throw e;
        }
    }

    public Netns netns() {
        return netns;
    }

    /** The next free node address, e.g. "198.18.0.1/24". */
    String nextAddress() {
        int host = nextHost.getAndIncrement();
        if (host > 254) {
            throw new IllegalStateException("fabric " + netns + " has no node addresses left");
        }
        return "198.18.0." + host + "/24";
    }

    /**
     * Wires {@code ifname} inside {@code node} to the fabric bridge: the veth is created from the
     * node's side with its peer placed straight into the fabric, so it never exists in the root
     * namespace even for a moment.
     */
    void wire(Netns node, String ifname) {
        String peer = Names.ifname("ntv");
        node.ip("link", "add", ifname, "type", "veth", "peer", "name", peer, "netns", netns.name());
        netns.ip("link", "set", peer, "master", BRIDGE);
        netns.ip("link", "set", peer, "up");
    }

    /** Deletes the fabric namespace and with it the bridge and every veth peer; safe twice. */
    @Override
    public void close() {
        netns.close();
    }
}
