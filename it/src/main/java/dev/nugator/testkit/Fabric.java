package dev.nugator.testkit;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The "switch" between test nodes: a namespace holding bridge {@code br0} to which every node's
 * {@code eth0} is wired by a veth. It exists so that nodes have a real underlay (for macvlan
 * masters, and VXLAN between nodes) while the machine's root namespace is never touched.
 * Node addresses are handed out from 198.18.0.0/24 (RFC 2544 benchmarking space), one per node.
 *
 * <p>A fabric has one MTU, given to the bridge and to both sides of every node's uplink: 1500 as
 * on most networks, or a jumbo size for labs whose links carry jumbo frames between nodes.
 */
public final class Fabric implements AutoCloseable {
    public static final String BRIDGE = "br0";
    public static final int ETHERNET_MTU = 1500;

    private final Netns netns;
    private final int mtu;
    private final AtomicInteger nextHost = new AtomicInteger(1);

    private Fabric(Netns netns, int mtu) {
        this.netns = netns;
        this.mtu = mtu;
    }

    /** An Ethernet fabric (MTU 1500). */
    public static Fabric create() {
        return create(ETHERNET_MTU);
    }

    /** A fabric whose bridge and uplinks all have MTU {@code mtu} (68..65535; the veth driver's limits). */
    public static Fabric create(int mtu) {
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("fabric MTU " + mtu + " is not in 68..65535");
        }
        var netns = Netns.create("ntfab");
        try {
            netns.ip("link", "add", BRIDGE, "mtu", Integer.toString(mtu), "type", "bridge");
            netns.ip("link", "set", BRIDGE, "up");
            return new Fabric(netns, mtu);
        } catch (RuntimeException | AssertionError e) {
            netns.close();
            throw e;
        }
    }

    public Netns netns() {
        return netns;
    }

    /** The MTU of the bridge and of every uplink wired to it. */
    public int mtu() {
        return mtu;
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
     * namespace even for a moment. Both sides get the fabric's MTU: a bridge port with a smaller
     * one would drop the larger frames silently.
     */
    void wire(Netns node, String ifname) {
        String peer = Names.ifname("ntv");
        String size = Integer.toString(mtu);
        node.ip("link", "add", ifname, "mtu", size, "type", "veth", "peer", "name", peer, "mtu", size, "netns", netns.name());
        netns.ip("link", "set", peer, "master", BRIDGE);
        netns.ip("link", "set", peer, "up");
    }

    /** Deletes the fabric namespace and with it the bridge and every veth peer; safe twice. */
    @Override
    public void close() {
        netns.close();
    }
}
