package dev.nugator.link;

import dev.nugator.netlink.LinkInfo;
import dev.nugator.netlink.NetnsPath;
import dev.nugator.pairing.LinkErrors;
import dev.nugator.pairing.LinkRegistry;
import dev.nugator.pairing.LinkSpec;
import dev.nugator.pairing.LinkStatus;
import dev.nugator.pairing.LinkStatus.EndStatus;
import dev.nugator.pairing.PodAttachment;
import dev.nugator.pairing.PodRef;
import dev.nugator.pairing.Side;
import dev.nugator.pairing.VniAllocator;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads how the links of this node look, for CHECK and status; it never changes anything. An end
 * here is {@code up} only when its pod side is there with carrier and its port is up and wired to
 * where the peer is (the peer's port, or the link's tunnel with a remote), all read from the
 * kernel; ends elsewhere are reported by where they run, and every node's errors come from the store.
 */
final class LinkInspector {
    private final LinkRegistry registry;
    private final PanelKernel kernel;
    private final String node;
    private final ErrorBoard errors;
    private final VniAllocator vnis;

    LinkInspector(LinkRegistry registry, PanelKernel kernel, String node, ErrorBoard errors, VniAllocator vnis) {
        this.registry = registry;
        this.kernel = kernel;
        this.node = node;
        this.errors = errors;
        this.vnis = vnis;
    }

    /** What CHECK reports for a pod's links: each missing interface or address, in words. */
    List<String> check(PodRef pod, NetnsPath netns) {
        var problems = new ArrayList<String>();
        for (var link : registry.linksOf(pod)) {
            for (var side : Side.values()) {
                var end = link.end(side);
                if (!end.pod().equals(pod)) {
                    continue;
                }
                var info = quietly(() -> kernel.podSide(netns, end.ifname()));
                if (info.isEmpty()) {
                    problems.add("link " + link.label() + ": interface " + end.ifname() + " is missing in " + netns);
                    continue;
                }
                var present = quietly(() -> Optional.of(kernel.addresses(netns, end.ifname()))).orElse(List.of());
                end.addresses().stream().filter(a -> !present.contains(a))
                        .forEach(a -> problems.add("link " + link.label() + ": " + end.ifname() + " lacks address " + a));
            }
        }
        return problems;
    }

    List<LinkStatus> status() {
        var result = new ArrayList<LinkStatus>();
        var reported = new LinkErrors(registry.store()).byLink();
        for (var link : registry.links()) {
            var attached = new EnumMap<Side, PodAttachment>(Side.class);
            for (var side : Side.values()) {
                registry.attachment(link.end(side).pod()).ifPresent(pod -> attached.put(side, pod));
            }
            var ends = new EnumMap<Side, EndStatus>(Side.class);
            for (var side : Side.values()) {
                ends.put(side, endStatus(link, side, attached));
            }
            var error = errors.get(link.id()).map(m -> "on node " + node + ": " + m).or(() -> Optional.ofNullable(reported.get(link.id())));
            result.add(LinkStatus.of(link, ends.get(Side.A), ends.get(Side.B), error, vnis.find(link.id())));
        }
        return result;
    }

    private EndStatus endStatus(LinkSpec link, Side side, Map<Side, PodAttachment> attached) {
        var end = link.end(side);
        var pod = attached.get(side);
        if (pod == null) {
            return EndStatus.pending(end.pod());
        }
        if (!pod.node().equals(node)) {
            return new EndStatus("remote", "on node " + pod.node(), pod.node(), "");
        }
        var podSide = quietly(() -> kernel.podSide(pod.netns(), end.ifname()));
        if (podSide.isEmpty()) {
            return new EndStatus("error", end.ifname() + " is missing in " + pod.netns(), node, "");
        }
        var port = quietly(() -> kernel.port(PanelNames.port(link.id(), side)));
        if (port.isEmpty() || port.get().index() != podSide.get().linkIndex()) {
            return new EndStatus("error", end.ifname() + " has no port in the panel", node, "veth");
        }
        var peer = attached.get(side.other());
        boolean remotePeer = peer != null && !peer.node().equals(node);
        String kind = remotePeer ? "vxlan" : "veth";
        if (peer == null) {
            return new EndStatus("down", "no carrier: " + link.end(side.other()).pod() + " is not running", node, kind);
        }
        var expected = remotePeer ? tunnelTarget(link) : quietly(() -> kernel.port(PanelNames.port(link.id(), side.other())));
        return wiring(end.ifname(), podSide.get(), port.get(), expected, kind);
    }

    /** The link's tunnel, when it has a remote to send to. */
    private Optional<LinkInfo> tunnelTarget(LinkSpec link) {
        return quietly(() -> kernel.port(PanelNames.tunnel(link.id()))).filter(t -> t.vxlan() != null && t.vxlan().remote() != null);
    }

    private EndStatus wiring(String ifname, LinkInfo podSide, LinkInfo port, Optional<LinkInfo> expected, String kind) {
        if (expected.isEmpty()) {
            return new EndStatus("down", "no carrier: the panel has nothing to wire " + ifname + " to yet", node, kind);
        }
        OptionalInt wired = quietly(() -> Optional.of(kernel.wiredTo(port.index()))).orElse(OptionalInt.empty());
        if (!wired.equals(OptionalInt.of(expected.get().index())) || !port.adminUp()) {
            return new EndStatus("down", "the panel has not wired " + ifname + " through yet", node, kind);
        }
        if (!podSide.carrier()) {
            return new EndStatus("down", "no carrier", node, kind);
        }
        var detail = kind.equals("vxlan") ? describe(expected.get()) : "";
        return new EndStatus("up", detail, node, kind);
    }

    private static String describe(LinkInfo tunnel) {
        var v = tunnel.vxlan();
        return "vni " + v.vni() + " " + v.local().getHostAddress() + " -> " + v.remote().getHostAddress() + " port " + v.port();
    }

    private static <T> Optional<T> quietly(java.util.function.Supplier<Optional<T>> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
