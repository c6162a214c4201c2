package dev.nugator.link;

import dev.nugator.pairing.NodeRecord;
import java.net.InetAddress;
import java.util.Optional;

/**
 * The node this nugatord serves: its name in the store, and, for links that cross nodes, the
 * underlay address and UDP port its VXLAN ends use (a one-node set-up may have no address).
 */
public record ThisNode(String name, Optional<InetAddress> address, int vxlanPort) {

    public Optional<NodeRecord> record() {
        return address.map(a -> new NodeRecord(name, a, vxlanPort));
    }

    /** This node's underlay address, or why a cross-node link cannot be made here. */
    InetAddress requireAddress() {
        return address.orElseThrow(() -> new IllegalStateException(
                "node " + name + " has no underlay address for VXLAN (start nugatord with --node-address)"));
    }
}
