package dev.nugator.link;

import dev.nugator.netlink.LinkInfo;
import dev.nugator.pairing.Side;

/**
 * Ends an earlier nugator made, before the panel: marked with an interface alias
 * {@code nugator:<link id>:<side>}, in pods (veth pairs or VXLAN devices) or parked in nugatord's
 * own namespace. An upgraded nugatord replaces the ones in pods once by panel ends and sweeps the
 * parked ones away.
 */
final class OldEnds {
    static final String PREFIX = "nugator:";

    private OldEnds() {}

    /** Whether {@code end} carries the old mark of this link side. */
    static boolean isMarked(LinkInfo end, String linkId, Side side) {
        return (PREFIX + linkId + ":" + side).equals(end.alias());
    }

    /** Whether {@code device} (in nugatord's namespace) is an end an earlier version parked there. */
    static boolean isParked(LinkInfo device) {
        return device.alias() != null && device.alias().startsWith(PREFIX) && ("veth".equals(device.kind()) || "vxlan".equals(device.kind()));
    }
}
