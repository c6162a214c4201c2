package dev.nugator.link;

import dev.nugator.pairing.LinkSpec;
import dev.nugator.pairing.NodeRecord;
import dev.nugator.pairing.PodAttachment;
import dev.nugator.pairing.Side;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Decides how a link is wired on this node from where its pods run: both here, port to port; one
 * here and the other on another node, port to a VXLAN device towards that node; one here and the
 * other nowhere (or on a node that has no record), the port waits down. The MTU is the link's, or
 * the underlay's less the VXLAN overhead, wherever the peer runs, so that a move never changes it.
 */
final class LinkPlanner {
    private final ThisNode self;
    private final Function<String, Optional<NodeRecord>> nodes;
    private final Function<String, Optional<NodeRecord>> lastKnown;
    private final ToIntFunction<String> vnis;

    /**
     * {@code nodes} finds a node's current record, {@code lastKnown} the one it had when last seen;
     * {@code vnis} gives a link its VNI (allocating one if need be).
     */
    LinkPlanner(ThisNode self, Function<String, Optional<NodeRecord>> nodes, Function<String, Optional<NodeRecord>> lastKnown,
                ToIntFunction<String> vnis) {
        this.self = self;
        this.nodes = nodes;
        this.lastKnown = lastKnown;
        this.vnis = vnis;
    }

    /** {@code attached}: the sides whose pods run somewhere, wherever that is. */
    LinkPlan plan(LinkSpec link, Map<Side, PodAttachment> attached) {
        int mtu = self.mtuOf(link);
        var here = new EnumMap<Side, PodAttachment>(Side.class);
        attached.forEach((side, pod) -> {
            if (pod.node().equals(self.name())) {
                here.put(side, pod);
            }
        });
        if (here.isEmpty()) {
            return new LinkPlan(link, here, new Cable.Open("no end of it runs on node " + self.name()), mtu, Optional.empty());
        }
        if (here.size() == 2) {
            return new LinkPlan(link, here, new Cable.Local(), mtu, Optional.empty());
        }
        var side = here.keySet().iterator().next();
        var peer = attached.get(side.other());
        if (peer == null) {
            return new LinkPlan(link, here, new Cable.Open(link.end(side.other()).pod() + " is not running"), mtu, Optional.empty());
        }
        return acrossNodes(link, here, side, peer.node(), mtu);
    }

    private LinkPlan acrossNodes(LinkSpec link, Map<Side, PodAttachment> here, Side side, String peerNode, int mtu) {
        var local = self.requireAddress();
        var current = nodes.apply(peerNode);
        var record = current.or(() -> lastKnown.apply(peerNode));
        if (record.isEmpty()) {
            String why = "node " + peerNode + " (where the peer runs) has no record in the store: is its nugatord running?";
            return new LinkPlan(link, here, new Cable.Open(why), mtu, Optional.of(why));
        }
        var peer = record.get();
        // a node whose nugatord is away (restarting, say) still forwards: the cable stays, status says why
        var away = current.isPresent() ? Optional.<String>empty() : Optional.of("node " + peerNode + "'s nugatord has no record in the"
                + " store now (stopped, or restarting): the link stays wired to its last address " + peer.address().getHostAddress());
        if (peer.vxlanPort() != self.vxlanPort()) {
            throw new IllegalStateException("node " + peerNode + " uses VXLAN port " + peer.vxlanPort() + " but node " + self.name()
                    + " uses " + self.vxlanPort() + ": every node needs the same --vxlan-port");
        }
        if (peer.address().getClass() != local.getClass()) {
            throw new IllegalStateException("node " + peerNode + "'s address " + peer.address().getHostAddress()
                    + " and node " + self.name() + "'s " + local.getHostAddress() + " are not of one IP version");
        }
        int carried = self.carriedTo(peer.underlayMtu());
        var problem = mtu <= carried ? away : Optional.of("MTU " + mtu + " is more than the underlay between node "
                + self.name() + " and node " + peerNode + " carries (" + carried + "): larger frames are dropped");
        var tunnel = new VxlanEnd(vnis.applyAsInt(link.id()), local, Optional.of(peer.address()), self.vxlanPort());
        return new LinkPlan(link, here, new Cable.Tunnel(side, tunnel, Math.min(mtu, carried)), mtu, problem);
    }
}
