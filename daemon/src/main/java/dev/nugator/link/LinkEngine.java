package dev.nugator.link;

import dev.nugator.cni.Deadline;
import dev.nugator.pairing.LinkRegistry;
import dev.nugator.pairing.LinkSpec;
import dev.nugator.pairing.LinkStatus;
import dev.nugator.pairing.LinkStatus.EndStatus;
import dev.nugator.pairing.LinkStatusSource;
import dev.nugator.pairing.PodAttachment;
import dev.nugator.pairing.PodRef;
import dev.nugator.pairing.Side;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes links real for the pods on this node: at a pod's ADD its ends exist before ADD returns,
 * at its DEL they are parked for the peer's sake, and a link added, changed or removed in the
 * store is brought to the kernel. One link is worked on by one thread at a time.
 */
public final class LinkEngine implements LinkStatusSource {
    private static final Logger log = LoggerFactory.getLogger(LinkEngine.class);
    private final LinkRegistry registry;
    private final LinkKernel kernel;
    private final VethReconciler veth;
    private final String node;
    private final ReentrantLock[] stripes = new ReentrantLock[128];
    /** The last error of each link, shown by status until the link is reconciled cleanly. */
    private final Map<String, String> errors = new ConcurrentHashMap<>();

    public LinkEngine(LinkRegistry registry, LinkKernel kernel, String node) {
        this.registry = registry;
        this.kernel = kernel;
        this.veth = new VethReconciler(kernel);
        this.node = node;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    public String node() {
        return node;
    }

    /** Why links cannot be made now (the store refuses writes), for CNI STATUS. */
    public Optional<String> unavailableReason() {
        return registry.store().unavailableReason().map(reason -> "link store: " + reason);
    }

    /** The pod runs here now: records it and brings each of its links up to it, within the command's deadline. */
    public List<PodEnd> attach(PodAttachment pod, Deadline deadline) {
        var current = registry.attachment(pod.pod());
        if (current.isPresent() && current.get().containerId().equals(pod.containerId())
                && !current.get().sameCarrier(pod.containerId(), pod.network())) {
            log.info("{} is also on network {}; its links stay with network {}", pod.pod(), pod.network(), current.get().network());
            return List.of();
        }
        registry.attach(pod);
        var ends = new ArrayList<PodEnd>();
        try (var session = kernel.session()) {
            for (var link : registry.linksOf(pod.pod())) {
                deadline.check("making the links of " + pod.pod());
                reconcile(link, Map.of()).stream().filter(e -> e.endpoint().pod().equals(pod.pod())).forEach(ends::add);
            }
        }
        return ends;
    }

    /**
     * The pod's container goes: its ends are parked so each peer keeps its interface. Only the
     * container that is still recorded counts; a newer one (a restart) keeps the links.
     * Errors are recorded for status, never thrown: a DEL must not fail for them.
     */
    public void detach(PodRef pod, String containerId, String netns) {
        detach(pod, containerId, netns, "");
    }

    /** As {@link #detach(PodRef, String, String)}, for the DEL of one network: another network's links stay. */
    public void detach(PodRef pod, String containerId, String netns, String network) {
        var current = registry.attachment(pod);
        if (current.isEmpty() || !current.get().sameCarrier(containerId, network)) {
            return;
        }
        registry.detach(pod, containerId);
        try (var session = kernel.session()) {
            detachLinks(pod, netns);
        }
    }

    private void detachLinks(PodRef pod, String netns) {
        for (var link : registry.linksOf(pod)) {
            var leaving = new EnumMap<Side, Place.InPod>(Side.class);
            for (var side : Side.values()) {
                if (link.end(side).pod().equals(pod)) {
                    leaving.put(side, new Place.InPod(netns, link.end(side).ifname()));
                }
            }
            try {
                reconcile(link, leaving);
            } catch (RuntimeException e) {
                log.warn("parking the ends of {} for {} failed: {}", link.label(), pod, e.getMessage());
            }
        }
    }

    /** Brings one link from the store to the kernel (a watch saw it change). */
    public void reconcile(String linkId) {
        registry.link(linkId).ifPresent(link -> reconcile(link, Map.of()));
    }

    /** A link left the store: its ends go from the pods and from the parking. */
    public void remove(LinkSpec link) {
        try (var held = lock(link.id())) {
            veth.remove(link, present(link));
            errors.remove(link.id());
            log.info("link {} removed", link.label());
        }
    }

    private List<PodEnd> reconcile(LinkSpec link, Map<Side, Place.InPod> leaving) {
        try (var held = lock(link.id())) {
            var present = present(link);
            try {
                return done(link, veth.reconcile(link, present, leaving));
            } catch (NetnsGoneException gone) {
                // a pod died without its DEL: treat it as away and give its peer a fresh end
                present.entrySet().removeIf(e -> !Files.exists(Path.of(e.getValue().netns())));
                return done(link, veth.reconcile(link, present, leaving));
            }
        } catch (RuntimeException e) {
            errors.put(link.id(), e.getMessage() == null ? e.toString() : e.getMessage());
            throw new LinkFailure(link, e);
        }
    }

    private List<PodEnd> done(LinkSpec link, List<PodEnd> ends) {
        errors.remove(link.id());
        log.debug("link {}: {} end(s) in pods", link.label(), ends.size());
        return ends;
    }

    /** The sides whose pods run on this node now. */
    private Map<Side, PodAttachment> present(LinkSpec link) {
        var present = new EnumMap<Side, PodAttachment>(Side.class);
        for (var side : Side.values()) {
            registry.attachment(link.end(side).pod()).filter(a -> a.node().equals(node)).ifPresent(a -> present.put(side, a));
        }
        return present;
    }

    /** What CHECK reports for a pod's links: each missing interface or address, in words. */
    public List<String> check(PodRef pod, String netns) {
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

    @Override
    public List<LinkStatus> status() {
        var result = new ArrayList<LinkStatus>();
        for (var link : registry.links()) {
            var ends = new EnumMap<Side, EndStatus>(Side.class);
            for (var side : Side.values()) {
                ends.put(side, endStatus(link, side));
            }
            result.add(linkStatus(link, ends));
        }
        return result;
    }

    private EndStatus endStatus(LinkSpec link, Side side) {
        var end = link.end(side);
        var pod = registry.attachment(end.pod());
        if (pod.isEmpty()) {
            return new EndStatus("pending", end.pod() + " is not running");
        }
        if (!pod.get().node().equals(node)) {
            return new EndStatus("remote", "on node " + pod.get().node());
        }
        var info = findQuietly(new Place.InPod(pod.get().netns(), end.ifname()));
        if (info.isEmpty()) {
            return new EndStatus("error", end.ifname() + " is missing in " + pod.get().netns());
        }
        return info.get().carrier() ? new EndStatus("up", "") : new EndStatus("down", "no carrier");
    }

    private LinkStatus linkStatus(LinkSpec link, Map<Side, EndStatus> ends) {
        var a = ends.get(Side.A);
        var b = ends.get(Side.B);
        String error = errors.get(link.id());
        if (error != null) {
            return new LinkStatus(link, LinkStatus.State.ERROR, error, a, b);
        }
        if (a.state().equals("error") || b.state().equals("error")) {
            var bad = a.state().equals("error") ? a : b;
            return new LinkStatus(link, LinkStatus.State.ERROR, bad.detail(), a, b);
        }
        if (a.state().equals("up") && b.state().equals("up")) {
            return new LinkStatus(link, LinkStatus.State.UP, "", a, b);
        }
        var waiting = a.state().equals("pending") ? a : b.state().equals("pending") ? b : null;
        return new LinkStatus(link, LinkStatus.State.PENDING, waiting != null ? "waiting: " + waiting.detail() : "no carrier yet", a, b);
    }

    private Optional<EndInfo> findQuietly(Place place) {
        try {
            return kernel.find(place);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private LockHeld lock(String linkId) {
        var lock = stripes[Math.floorMod(linkId.hashCode(), stripes.length)];
        lock.lock();
        return lock::unlock;
    }

    private interface LockHeld extends AutoCloseable {
        @Override
        void close();
    }
}
