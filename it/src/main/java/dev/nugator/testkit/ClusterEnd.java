package dev.nugator.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;

/**
 * One link end of a {@link ClusterPod} as seen now, from the pod to the wire: the pod's interface
 * (its MTU too), its port in the pod's node's panel (the interface's veth peer), and the link's
 * tunnel in that panel when the link has one there. For waiting and for failure messages.
 *
 * @param where the end and where it was looked at, for messages
 * @param link the pod's interface
 * @param mtu its MTU (0 when it is missing)
 * @param port its veth peer in the panel
 * @param tunnel the link's VXLAN device in the panel ({@code <prefix>-v})
 * @param vxlan that tunnel's settings
 */
public record ClusterEnd(String where, Optional<Link> link, int mtu, Optional<Link> port, Optional<Link> tunnel,
                         Optional<Vxlan> vxlan) {
    private static final Duration IP_DEADLINE = Duration.ofSeconds(20);

    /** Reads {@code ifname} in {@code pod} and what it leads to in {@code panel}. */
    static ClusterEnd read(String where, Netns pod, String ifname, Netns panel) {
        var result = Proc.of("ip", "-n", pod.name(), "-j", "-d", "addr", "show", "dev", ifname).deadline(IP_DEADLINE).run();
        JsonNode json = result.succeeded() ? Json.parse(result.stdout()) : null;
        if (json == null || json.isEmpty()) {
            return new ClusterEnd(where, Optional.empty(), 0, Optional.empty(), Optional.empty(), Optional.empty());
        }
        Link link = Link.fromJson(json.get(0));
        PanelView view = PanelView.read(panel);
        var port = view.portOf(link);
        var tunnel = port.flatMap(view::tunnelOf);
        return new ClusterEnd(where, Optional.of(link), json.get(0).path("mtu").asInt(0), port, tunnel,
                tunnel.flatMap(t -> view.vxlan(t.name())));
    }

    /** The pod's interface has carrier (LOWER_UP): what the pod sees of its peer being reachable. */
    public boolean carrier() {
        return link.map(LabPod::carrier).orElse(false);
    }

    /** The interface is there without carrier (NO-CARRIER): its peer is away. */
    public boolean noCarrier() {
        return link.isPresent() && !carrier();
    }

    /** Carrier, and the link goes out through an up tunnel whose remote is {@code remote}. */
    public boolean crossesTo(String remote) {
        return carrier() && port.map(Link::isUp).orElse(false) && tunnel.map(Link::isUp).orElse(false)
                && vxlan.map(v -> v.remote().equals(remote)).orElse(false);
    }

    /** Carrier through an up port, and no tunnel: the peer is on the same node. */
    public boolean staysOnNode() {
        return carrier() && port.map(Link::isUp).orElse(false) && tunnel.isEmpty();
    }

    @Override
    public String toString() {
        return where + ": " + link.map(l -> l.name() + "#" + l.index() + " " + l.kind() + " mtu " + mtu + " " + l.flags()
                + " " + l.addresses() + " peer #" + l.peerIndex()).orElse("missing")
                + "; port " + port.map(p -> p.name() + "#" + p.index() + (p.isUp() ? " up" : " down")).orElse("none")
                + "; tunnel " + tunnel.map(t -> t.name() + (t.isUp() ? " up " : " down ") + vxlan.map(Object::toString).orElse(""))
                        .orElse("none");
    }
}
