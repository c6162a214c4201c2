package dev.nugator.link;

import dev.nugator.cni.Deadline;
import dev.nugator.pairing.LinkErrors;
import dev.nugator.pairing.LinkRegistry;
import dev.nugator.pairing.NodeRecord;
import dev.nugator.pairing.Nodes;
import dev.nugator.pairing.VniAllocator;
import dev.nugator.pairing.LinkSpec;
import dev.nugator.pairing.LinkStatus;
import dev.nugator.pairing.LinkStatusSource;
import dev.nugator.pairing.PodAttachment;
import dev.nugator.pairing.PodRef;
import dev.nugator.pairing.Side;
import dev.nugator.store.StoreUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private final VxlanReconciler vxlan;
    private final ThisNode self;
    private final String node;
    private final Nodes nodes;
    private final VniAllocator vnis;
    private final ReentrantLock[] stripes = new ReentrantLock[128];
    /** The last error of each link, shown by status until the link is reconciled cleanly. */
    private final ErrorBoard errors;
    private final LinkInspector inspector;
    private final Map<String, PendingDetach> pendingDetaches = new java.util.concurrent.ConcurrentHashMap<>();
    /** The store revision of each pod's attachment whose links this node made, for {@link #attachedHere}. */
    private final Map<PodRef, Long> attachedAt = new java.util.concurrent.ConcurrentHashMap<>();

    public LinkEngine(LinkRegistry registry, LinkKernel kernel, ThisNode self) {
        this.registry = registry;
        this.kernel = kernel;
        this.veth = new VethReconciler(kernel);
        this.vxlan = new VxlanReconciler(kernel);
        this.self = self;
        this.node = self.name();
        this.nodes = new Nodes(registry.store());
        this.vnis = new VniAllocator(registry.store());
        this.errors = new ErrorBoard(node, new LinkErrors(registry.store()));
        this.inspector = new LinkInspector(registry, kernel, node, errors, vnis);
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** A node without an underlay address (links on one node only). */
    public LinkEngine(LinkRegistry registry, LinkKernel kernel, String node) {
        this(registry, kernel, new ThisNode(node, Optional.empty(), dev.nugator.netlink.VxlanSpec.DEFAULT_PORT));
    }

    public String node() {
        return node;
    }

    public LinkRegistry registry() {
        return registry;
    }

    /** Why links cannot be made now (the store refuses writes), for CNI STATUS. */
    public Optional<String> unavailableReason() {
        return registry.store().unavailableReason().map(reason -> "link store: " + reason);
    }

    /**
     * The pod runs here now: records it and brings each of its links up to it, within the command's
     * deadline. On failure it undoes itself (the caller need not detach): with the store down, that
     * costs no second wait for it.
     */
    public List<PodEnd> attach(PodAttachment pod, Deadline deadline) {
        var current = registry.attachment(pod.pod());
        if (current.isPresent() && current.get().containerId().equals(pod.containerId())
                && !current.get().sameCarrier(pod.containerId(), pod.network())) {
            log.info("{} is also on network {}; its links stay with network {}", pod.pod(), pod.network(), current.get().network());
            return List.of();
        }
        long revision;
        try {
            revision = registry.attach(pod);
            // an ADD after a DEL that could not reach the store: this container is back, not gone
            pendingDetaches.remove(pod.containerId() + "/" + pod.pod());
            // known before the links are made, so that the watch's echo of this write, whenever it
            // comes, does not redo them (and undo what someone changed since)
            attachedAt.put(pod.pod(), revision);
        } catch (StoreUnavailableException e) {
            // the write may have landed all the same: release it once the store answers
            pendingDetaches.put(pod.containerId() + "/" + pod.pod(), new PendingDetach(pod.pod(), pod.containerId(), pod.netns(), pod.network()));
            throw e;
        }
        var ends = new ArrayList<PodEnd>();
        try (var session = kernel.session()) {
            for (var link : registry.linksOf(pod.pod())) {
                deadline.check("making the links of " + pod.pod());
                reconcile(link, Map.of()).stream().filter(e -> e.endpoint().pod().equals(pod.pod())).forEach(ends::add);
            }
        } catch (RuntimeException e) {
            attachedAt.remove(pod.pod(), revision);
            detach(pod.pod(), pod.containerId(), pod.netns(), pod.network());
            throw e;
        }
        return ends;
    }

    /**
     * Whether this node already brought the pod's links up after the store's write at
     * {@code revision}: the watch's echo of an ADD's own write then needs no second pass.
     */
    public boolean attachedHere(PodRef pod, long revision) {
        Long at = attachedAt.get(pod);
        return at != null && at == revision;
    }

    /** A node record changed (from the watch). */
    public void nodeChanged(String name, Optional<NodeRecord> record) {
        nodes.learn(name, record);
    }

    /** The resync's pass: what is remembered of nodes and VNIs is read again. */
    public void refreshCaches() {
        nodes.refresh();
        vnis.forgetAll();
    }

    /**
     * The pod's container goes: its ends are parked so each peer keeps its interface. Only the
     * container that is still recorded counts; a newer one (a restart) keeps the links.
     * Errors are recorded for status, never thrown: a DEL must not fail for them.
     */
    public void detach(PodRef pod, String containerId, String netns) {
        detach(pod, containerId, netns, "");
    }

    /**
     * As {@link #detach(PodRef, String, String)}, for the DEL of one network: another network's links
     * stay. With the store unreachable the DEL still succeeds: the pod is released here as soon as
     * the store answers again (or, should this nugatord stop first, when its resync finds the pod's
     * namespace gone).
     */
    public void detach(PodRef pod, String containerId, String netns, String network) {
        try {
            detachNow(new PendingDetach(pod, containerId, netns, network));
        } catch (StoreUnavailableException e) {
            pendingDetaches.put(containerId + "/" + pod, new PendingDetach(pod, containerId, netns, network));
            log.warn("{} stopped but the store is unreachable ({}); its links are released once the store answers", pod, e.getMessage());
        }
    }

    /** DELs that could not reach the store, tried again (by the resync); stops at the first store failure. */
    public void retryPendingDetaches() {
        for (var entry : Map.copyOf(pendingDetaches).entrySet()) {
            detachNow(entry.getValue());
            pendingDetaches.remove(entry.getKey());
            log.info("{}: its links are released now that the store answers", entry.getValue().pod());
        }
    }

    private void detachNow(PendingDetach d) {
        var current = registry.attachment(d.pod());
        if (current.isEmpty() || !current.get().sameCarrier(d.containerId(), d.network())) {
            return;
        }
        // The pod's links stay locked from the store's delete until its ends are parked: the watch's
        // echo of the delete must not find an end still in the leaving pod and take it for lost.
        var links = registry.linksOf(d.pod());
        try (var held = lockAll(links); var session = kernel.session()) {
            registry.detach(d.pod(), d.containerId());
            detachLinks(d.pod(), d.netns(), links);
        }
    }

    private record PendingDetach(PodRef pod, String containerId, String netns, String network) {}

    private void detachLinks(PodRef pod, String netns, List<LinkSpec> links) {
        for (var link : links) {
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

    /** Brings one link from the store to the kernel (a watch saw it change, or the resync came). */
    public void reconcile(String linkId) {
        registry.link(linkId).ifPresent(link -> reconcile(link, Map.of()));
    }

    /** Brings a link as known to the caller to the kernel; a link no longer in the store is left to {@link #remove}. */
    public void reconcile(LinkSpec link) {
        reconcile(link, Map.of());
    }

    /** A link left the store: its ends go from the pods and from the parking. */
    public void remove(LinkSpec link) {
        try (var held = lock(link.id())) {
            veth.remove(link, present(link));
            errors.clear(link.id());
            vnis.forget(link.id());
            log.info("link {} removed", link.label());
        } finally {
            errors.publish();
        }
    }

    /**
     * Deletes the ends of links that are no longer in the store (deleted while this nugatord was
     * down, so no event told it), parked here or in the pods running here.
     */
    public void sweep(java.util.Set<String> liveLinks, List<PodAttachment> podsHere) {
        var places = new ArrayList<java.util.Map.Entry<Place, String>>();
        places.addAll(kernel.marked(Optional.empty()).entrySet());
        for (var pod : podsHere) {
            try {
                places.addAll(kernel.marked(Optional.of(pod.netns())).entrySet());
            } catch (NetnsGoneException gone) {
                // nothing left to sweep there
            }
        }
        for (var entry : places) {
            String linkId = Ownership.linkOf(entry.getValue());
            if (!liveLinks.contains(linkId)) {
                try (var held = lock(linkId)) {
                    log.info("removing {}: its link {} is gone", entry.getKey(), linkId);
                    kernel.delete(entry.getKey());
                } catch (RuntimeException e) {
                    log.warn("removing {} failed: {}", entry.getKey(), e.getMessage());
                }
            }
        }
    }

    /** Drops the errors of links that have no end on this node any more (a failed ADD's, once its pod is gone). */
    public void keepErrorsOnlyOf(java.util.Set<String> linksHere) {
        errors.retainOnly(linksHere);
    }

    /** Mirrors this node's link errors to the store (again, if the store was down before). */
    public void publishErrors() {
        errors.publish();
    }

    /** Forgets errors a previous run of this node left in the store, once they are not current. */
    public void adoptStoredErrors() {
        errors.adopt(new LinkErrors(registry.store()).ofNode(node));
    }

    private List<PodEnd> reconcile(LinkSpec link, Map<Side, Place.InPod> leaving) {
        try (var held = lock(link.id())) {
            var attached = attached(link);
            try {
                return done(link, reconcile(link, attached, leaving), leaving.isEmpty());
            } catch (NetnsGoneException gone) {
                // a pod died without its DEL: treat it as away and give its peer a fresh end
                attached.entrySet().removeIf(e -> e.getValue().node().equals(node) && !Files.exists(Path.of(e.getValue().netns())));
                return done(link, reconcile(link, attached, leaving), leaving.isEmpty());
            }
        } catch (RuntimeException e) {
            errors.fail(link.id(), e.getMessage() == null ? e.toString() : e.getMessage());
            errors.publish();
            throw new LinkFailure(link, e);
        }
    }

    /**
     * The shape follows where the two pods run: both here, or one here and the other nowhere, is a
     * veth (the absent side parked); one here and the other on another node is a tunnel. A tunnel
     * whose peer stopped running stays a tunnel until the peer is back.
     */
    private List<PodEnd> reconcile(LinkSpec link, Map<Side, PodAttachment> attached, Map<Side, Place.InPod> leaving) {
        var present = new EnumMap<Side, PodAttachment>(Side.class);
        attached.forEach((side, pod) -> {
            if (pod.node().equals(node)) {
                present.put(side, pod);
            }
        });
        // a leaving pod's tunnel end goes with it (a veth end is parked by the veth reconciler)
        leaving.forEach((side, place) -> vxlan.removeLeaving(link, side, place));
        if (present.size() == 1) {
            var side = present.keySet().iterator().next();
            var peer = attached.get(side.other());
            if (peer != null) {
                return vxlan.reconcile(link, side, present.get(side), tunnel(link, peer.node()));
            }
            var waiting = vxlan.keepWaiting(link, side, present.get(side));
            if (waiting.isPresent()) {
                return waiting.get();
            }
        }
        return veth.reconcile(link, present, leaving);
    }

    /** The tunnel this node's end of a cross-node link needs; its remote is empty while the peer node is unknown. */
    private VxlanEnd tunnel(LinkSpec link, String peerNode) {
        var local = self.requireAddress();
        int vni = vnis.allocate(link.id());
        var peer = nodes.find(peerNode);
        if (peer.isEmpty()) {
            errors.fail(link.id(), "node " + peerNode + " (where the peer runs) has no record in the store: is its nugatord running?");
        } else if (peer.get().vxlanPort() != self.vxlanPort()) {
            throw new IllegalStateException("node " + peerNode + " uses VXLAN port " + peer.get().vxlanPort() + " but node " + node
                    + " uses " + self.vxlanPort() + ": every node needs the same --vxlan-port");
        } else if (peer.get().address().getClass() != local.getClass()) {
            throw new IllegalStateException("node " + peerNode + "'s address " + peer.get().address().getHostAddress()
                    + " and node " + node + "'s " + local.getHostAddress() + " are not of one IP version");
        }
        return new VxlanEnd(vni, local, peer.map(NodeRecord::address), self.vxlanPort());
    }

    /**
     * A clean pass clears the link's error, unless a tunnel still lacks its remote or the pass was a
     * pod leaving (which proves nothing about whether the link can be made: a failed ADD's error stays).
     */
    private List<PodEnd> done(LinkSpec link, List<PodEnd> ends, boolean clears) {
        if (clears && ends.stream().noneMatch(e -> e.info().isVxlan() && e.info().vxlan().get().remote().isEmpty())) {
            errors.clear(link.id());
        }
        errors.publish();
        log.debug("link {}: {} end(s) in pods", link.label(), ends.size());
        return ends;
    }

    /** The sides whose pods run on this node now. */
    private Map<Side, PodAttachment> present(LinkSpec link) {
        var present = attached(link);
        present.values().removeIf(a -> !a.node().equals(node));
        return present;
    }

    /** The sides whose pods run somewhere now. */
    private Map<Side, PodAttachment> attached(LinkSpec link) {
        var attached = new EnumMap<Side, PodAttachment>(Side.class);
        for (var side : Side.values()) {
            registry.attachment(link.end(side).pod()).ifPresent(a -> attached.put(side, a));
        }
        return attached;
    }

    /** What CHECK reports for a pod's links: each missing interface or address, in words. */
    public List<String> check(PodRef pod, String netns) {
        return inspector.check(pod, netns);
    }

    @Override
    public List<LinkStatus> status() {
        return inspector.status();
    }

    /** The locks of several links, taken in one order so that two callers never wait on each other. */
    private LockHeld lockAll(List<LinkSpec> links) {
        var indexes = links.stream().mapToInt(l -> Math.floorMod(l.id().hashCode(), stripes.length)).distinct().sorted().toArray();
        for (int i : indexes) {
            stripes[i].lock();
        }
        return () -> {
            for (int i = indexes.length - 1; i >= 0; i--) {
                stripes[indexes[i]].unlock();
            }
        };
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
