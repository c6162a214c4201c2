package dev.nugator.link;

import dev.nugator.pairing.IfAddress;
import java.util.List;
import java.util.Optional;

/**
 * What the kernel shows of one veth end. {@code peerIndex} is the ifindex of its peer in the peer's
 * namespace (IFLA_LINK), which is how two ends found by name are known to be one pair; {@code alias}
 * is the label nugator puts on its ends (see {@link Ownership}), which is how an end is known to be ours.
 * {@code vxlan} is set for a cross-node end (kind vxlan).
 */
public record EndInfo(int index, int peerIndex, String kind, String mac, int mtu, boolean up, boolean carrier,
                      List<IfAddress> addresses, String alias, Optional<VxlanEnd> vxlan) {
    public EndInfo {
        addresses = List.copyOf(addresses);
    }

    public EndInfo(int index, int peerIndex, String kind, String mac, int mtu, boolean up, boolean carrier,
                   List<IfAddress> addresses, String alias) {
        this(index, peerIndex, kind, mac, mtu, up, carrier, addresses, alias, Optional.empty());
    }

    public boolean isVxlan() {
        return vxlan.isPresent();
    }

    public boolean isVeth() {
        return "veth".equals(kind);
    }
}
