package dev.nugator.testkit;

/**
 * A test "node": a namespace where nugatord runs and where delegates create what they would
 * create on a real host ({@code cni0}, the host ends of veths, iptables rules). It has loopback up
 * and an {@code eth0} (a veth wired to a {@link Fabric}) with an address in 198.18.0.0/24, so that
 * {@code macvlan} has a master named like the seed's.
 *
 * <p>{@link #create()} makes a private fabric that is removed with the node;
 * {@link #on(Fabric)} joins a shared one (several nodes on one switch), which the caller closes.
 */
public final class NodeNamespace implements AutoCloseable {
    public static final String UPLINK = "eth0";

    private final Netns netns;
    private final String address;
    private final Fabric ownFabric;

    private NodeNamespace(Netns netns, String address, Fabric ownFabric) {
        this.netns = netns;
        this.address = address;
        this.ownFabric = ownFabric;
    }

    /** A node with its own private fabric. */
    public static NodeNamespace create() {
        var fabric = Fabric.create();
        try {
            return build(fabric, fabric);
        } catch (RuntimeException | AssertionError e) {
            fabric.close();
            throw e;
        }
    }

    /** A node on a shared fabric; closing the node leaves the fabric alone. */
    public static NodeNamespace on(Fabric fabric) {
        return build(fabric, null);
    }

    private static NodeNamespace build(Fabric fabric, Fabric owned) {
        var netns = Netns.create("ntnode");
        try {
            String address = fabric.nextAddress();
            fabric.wire(netns, UPLINK);
            netns.ip("addr", "add", address, "dev", UPLINK);
            netns.ip("link", "set", UPLINK, "up");
            return new NodeNamespace(netns, address, owned);
        } catch (RuntimeException | AssertionError e) {
            netns.close();
            throw e;
        }
    }

    public Netns netns() {
        return netns;
    }

    public String name() {
        return netns.name();
    }

    /** eth0's address with prefix, e.g. "198.18.0.1/24". */
    public String address() {
        return address;
    }

    /** eth0's address without prefix, e.g. "198.18.0.1". */
    public String ip() {
        return Ipv4.stripPrefix(address);
    }

    /** Removes the node (and its private fabric, if it has one); safe twice. */
    @Override
    public void close() {
        try {
            netns.close();
        } finally {
            if (ownFabric != null) {
                ownFabric.close();
            }
        }
    }

    @Override
    public String toString() {
        return netns.name() + "(" + address + ")";
    }
}
