package dev.nugator.link;

import dev.nugator.pairing.LinkErrors;
import dev.nugator.pairing.LinkRegistry;
import dev.nugator.pairing.LinkSpec;
import dev.nugator.pairing.LinkStatus;
import dev.nugator.pairing.LinkStatus.EndStatus;
import dev.nugator.pairing.PodRef;
import dev.nugator.pairing.Side;
import dev.nugator.pairing.VniAllocator;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Optional;

/**
 * Reads how the links of this node look, for CHECK and status; it never changes anything. Ends on
 * this node are looked up in the kernel, ends elsewhere are reported by where they run, and the
 * errors of every node come from the store.
 */
final class LinkInspector {
    private final LinkRegistry registry;
    private final LinkKernel kernel;
    private final String node;
    private final ErrorBoard errors;
    private final VniAllocator vnis;

    LinkInspector(LinkRegistry registry, LinkKernel kernel, String node, ErrorBoard errors, VniAllocator vnis) {
        this.registry = registry;
        this.kernel = kernel;
        this.node = node;
        this.errors = errors;
        this.vnis = vnis;
    }

    /** What CHECK reports for a pod's links: each missing interface or address, in words. */
    List<String> check(PodRef pod, String netns) {
        var problems = new ArrayList<String>();
        for (var link : registry.linksOf(pod)) {
            for (var side : Side.values()) {
                var end = link.end(side);
                if (!end.pod().equals(pod)) {
                    continue;
                }
                var info = findQuietly(new Place.InPod(netns, end.ifname()));
                if (info.isEmpty()) {
                    problems.add("link " + link.label() + ": interface " + end.ifname() + " is missing in " + netns);
                    continue;
                }
                end.addresses().stream().filter(a -> !info.get().addresses().contains(a))
                        .forEach(a -> problems.add("link " + link.label() + ": " + end.ifname() + " lacks address " + a));
            }
        }
        return problems;
    }

    List<LinkStatus> status() {
        var result = new ArrayList<LinkStatus>();
        var reported = new LinkErrors(registry.store()).byLink();
        for (var link : registry.links()) {
            var ends = new EnumMap<Side, EndStatus>(Side.class);
            for (var side : Side.values()) {
                ends.put(side, endStatus(link, side));
            }
            var error = errors.get(link.id()).map(m -> "on node " + node + ": " + m).or(() -> Optional.ofNullable(reported.get(link.id())));
            result.add(LinkStatus.of(link, ends.get(Side.A), ends.get(Side.B), error, vnis.find(link.id())));
        }
        return result;
    }

    private EndStatus endStatus(LinkSpec link, Side side) {
        var end = link.end(side);
        var pod = registry.attachment(end.pod());
        if (pod.isEmpty()) {
            return EndStatus.pending(end.pod());
        }
        String where = pod.get().node();
        if (!where.equals(node)) {
            return new EndStatus("remote", "on node " + where, where, "");
        }
        var info = findQuietly(new Place.InPod(pod.get().netns(), end.ifname()));
        if (info.isEmpty()) {
            return new EndStatus("error", end.ifname() + " is missing in " + pod.get().netns(), where, "");
        }
        var kind = info.get().kind();
        if (info.get().isVxlan()) {
            var tunnel = info.get().vxlan().get();
            return tunnel.remote().isPresent() && info.get().up()
                    ? new EndStatus("up", tunnel.toString(), where, kind)
                    : new EndStatus("down", tunnel.toString(), where, kind);
        }
        return info.get().carrier() ? new EndStatus("up", "", where, kind) : new EndStatus("down", "no carrier", where, kind);
    }

    private Optional<EndInfo> findQuietly(Place place) {
        try {
            return kernel.find(place);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
