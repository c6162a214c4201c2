package dev.nugator.link;

import dev.nugator.pairing.LinkSpec;
import dev.nugator.pairing.NodeRecord;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * The node this nugatord serves: its name in the store; for links that cross nodes, the underlay
 * address and UDP port its VXLAN ends use (a one-node set-up may have no address); and the MTU of
 * its underlay interface, from which every link's default MTU follows, wherever its peer runs.
 */
public record ThisNode(String name, Optional<InetAddress> address, int vxlanPort, int underlayMtu) {
    /** What a VXLAN frame adds on an IPv4 underlay: outer Ethernet, IPv4, UDP and VXLAN headers. */
    public static final int VXLAN_OVERHEAD_V4 = 50;
    /** The same on an IPv6 underlay. */
    public static final int VXLAN_OVERHEAD_V6 = 70;
    /** The underlay MTU assumed when none can be read (no underlay interface). */
    public static final int ETHERNET_MTU = 1500;

    public ThisNode {
        if (underlayMtu < 68) {
            throw new IllegalArgumentException("underlay MTU " + underlayMtu + " is below IPv4's minimum of 68");
        }
    }

    public ThisNode(String name, Optional<InetAddress> address, int vxlanPort) {
        this(name, address, vxlanPort, ETHERNET_MTU);
    }

    public Optional<NodeRecord> record() {
        return address.map(a -> new NodeRecord(name, a, vxlanPort, underlayMtu));
    }

    /**
     * The MTU of a link that asks for none: what its frames can carry over the underlay as VXLAN,
     * so that it does not change when its peer moves between this node and another.
     */
    public int defaultLinkMtu() {
        return underlayMtu - overhead(address);
    }

    /** The MTU of the link's ends here: the link's own, or {@link #defaultLinkMtu()}. */
    int mtuOf(LinkSpec link) {
        return link.mtu().orElse(defaultLinkMtu());
    }

    /** The largest frame a tunnel between this node and one of underlay MTU {@code peerMtu} (0: unknown) carries. */
    int carriedTo(int peerMtu) {
        int mtu = peerMtu > 0 ? Math.min(underlayMtu, peerMtu) : underlayMtu;
        return mtu - overhead(address);
    }

    private static int overhead(Optional<InetAddress> address) {
        return address.filter(Inet6Address.class::isInstance).isPresent() ? VXLAN_OVERHEAD_V6 : VXLAN_OVERHEAD_V4;
    }

    /** This node's underlay address, or why a cross-node link cannot be made here. */
    InetAddress requireAddress() {
        return address.orElseThrow(() -> new IllegalStateException(
                "node " + name + " has no underlay address for VXLAN (start nugatord with --node-address)"));
    }
}
