package dev.nugator.link;

import dev.nugator.cni.Deadline;
import dev.nugator.netlink.NetNamespace;
import dev.nugator.netlink.NetnsPath;
import dev.nugator.pairing.AttachTransaction;
import dev.nugator.pairing.LinkErrors;
import dev.nugator.pairing.LinkRegistry;
import dev.nugator.pairing.LinkSnapshot;
import dev.nugator.pairing.LinkSpec;
import dev.nugator.pairing.LinkStatus;
import dev.nugator.pairing.LinkStatusSource;
import dev.nugator.pairing.NodeRecord;
import dev.nugator.pairing.Nodes;
import dev.nugator.pairing.PodAttachment;
import dev.nugator.pairing.PodRef;
import dev.nugator.pairing.Side;
import dev.nugator.pairing.VniAllocator;
import dev.nugator.store.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes links real for the pods on this node. At a pod's ADD its ends exist before ADD returns; at
 * its DEL they go, and their peers' ports go down. A link added, changed or removed in the store,
 * and a pod starting or stopping anywhere, are brought to the kernel through {@link #reconcile}.
 * Each pass plans the link from the store ({@link LinkPlanner}) and applies the plan to the panel
 * ({@link PlanApplier}); one link is worked on by one thread at a time.
 */
public final class LinkEngine implements LinkStatusSource {
    private static final Logger log = LoggerFactory.getLogger(LinkEngine.class);
    private final LinkRegistry registry;
    private final PanelKernel kernel;
    private final ThisNode self;
    private final Nodes nodes;
    private final VniAllocator vnis;
    private final AttachTransaction recorder;
    private final LinkPlanner planner;
    private final PlanApplier applier;
    private final Reaper reaper;
    private final LinkLocks locks = new LinkLocks();
    private final PendingDetaches pending = new PendingDetaches();
    /** The last error of each link, shown by status until the link is reconciled cleanly. */
    private final ErrorBoard errors;
    private final LinkInspector inspector;
    private final Sweeper sweeper;
    private final OwnWrites own = new OwnWrites();
    private final PodArrival arrival;

    public LinkEngine(LinkRegistry registry, PanelKernel kernel, ThisNode self) {
        this.registry = registry;
        this.kernel = kernel;
        this.self = self;
        this.nodes = new Nodes(registry.store());
        this.vnis = new VniAllocator(registry.store());
        this.recorder = new AttachTransaction(registry, vnis);
        this.planner = new LinkPlanner(self, nodes::find, nodes::lastKnown, vnis::allocate);
        this.reaper = new Reaper(kernel, Reaper.GATHER);
        this.applier = new PlanApplier(kernel, reaper);
        this.errors = new ErrorBoard(self.name(), new LinkErrors(registry.store()));
        this.inspector = new LinkInspector(registry, kernel, self.name(), errors, vnis);
        this.sweeper = new Sweeper(kernel, locks, registry, this::reconcile);
        this.arrival = new PodArrival(registry, kernel, self, recorder, locks, own, pending,
                (link, pass, known) -> pass(link, true, pass, known),
                pod -> detach(pod.pod(), pod.containerId(), pod.network(), pod.uid()));
    }

    public String node() {
        return self.name();
    }

    public LinkRegistry registry() {
        return registry;
    }

    /** Whether {@code namespace} is this node's patch panel (which no pod may be given as its own). */
    public boolean isPanel(NetNamespace namespace) {
        return kernel.panel().namespace().sameAs(namespace);
    }

    /** Why links cannot be made now (the store refuses writes), for CNI STATUS. */
    public Optional<String> unavailableReason() {
        return registry.store().unavailableReason().map(reason -> "link store: " + reason);
    }

    /**
     * The pod runs here now: records it and brings each of its links up to it, within the command's
     * deadline ({@link PodArrival}). On failure it undoes itself (the caller need not detach).
     */
    public List<PodEnd> attach(PodAttachment pod, Deadline deadline) {
        var current = registry.attachment(pod.pod());
        if (current.isPresent() && current.get().containerId().equals(pod.containerId())
                && !current.get().sameCarrier(pod.containerId(), pod.network())) {
            log.info("{} is also on network {}; its links stay with network {}", pod.pod(), pod.network(), current.get().network());
            return List.of();
        }
        return arrival.attach(pod, deadline);
    }

    /**
     * Whether the store's write at {@code revision} is this node's own ADD of the pod, followed
     * already or by the ADD still running.
     */
    public boolean attachedHere(PodAttachment pod, long revision) {
        return pod.node().equals(self.name()) && own.isAttach(pod.pod(), pod.containerId(), revision);
    }

    /** Whether the pod's removal at {@code revision} is this node's own DEL, already followed. */
    public boolean detachedHere(PodRef pod, long revision) {
        return own.isDetach(pod, revision);
    }

    /** A node record changed (from the watch). */
    public void nodeChanged(String name, Optional<NodeRecord> record) {
        nodes.learn(name, record);
    }

    /**
     * The pod's container goes: its ends go from its namespace in one request, taking their ports
     * along, and each peer's port goes down (a cable unplugged). Only the container that is still
     * recorded counts, and only from the pod of that uid ({@code uid}, K8S_POD_UID, empty when the
     * runtime sent none); a newer one (a restart) keeps the links. {@code network} is the network whose
     * DEL this is: another network's links stay. Errors are logged, never thrown: a DEL must not
     * fail for them. With the store unreachable the pod is released once it answers again.
     */
    public void detach(PodRef pod, String containerId, String network, String uid) {
        var detach = new PendingDetaches.Detach(pod, containerId, network, uid);
        try {
            detachNow(detach);
        } catch (StoreUnavailableException e) {
            pending.add(detach);
            log.warn("{} stopped but the store is unreachable ({}); its links are released once the store answers", pod, e.getMessage());
        }
    }

    private void detachNow(PendingDetaches.Detach d) {
        var current = registry.attachment(d.pod());
        if (current.isEmpty() || !current.get().sameCarrier(d.containerId(), d.network())) {
            return;
        }
        if (!current.get().sameSandbox(d.containerId(), d.network(), d.uid())) {
            log.info("a DEL for {} with uid {} leaves its links alone: the pod attached now has uid {}", d.pod(), d.uid(), current.get().uid());
            return;
        }
        // The pod's links stay locked from the store's delete until its ends are gone: the watch's
        // echo of the delete must not find an end still in the leaving pod.
        var links = registry.linksOf(d.pod());
        try (var held = locks.lockAll(links.stream().map(LinkSpec::id).toList()); var session = kernel.session()) {
            registry.detach(d.pod(), d.containerId()).ifPresent(revision -> own.detached(d.pod(), revision));
            kernel.deletePodSides(current.get().netns());
            for (var link : links) {
                try {
                    pass(link, false, Pass.peers(), Optional.empty());
                } catch (RuntimeException e) {
                    log.warn("taking {}'s peer off link {} failed: {}", d.pod(), link.label(), e.getMessage());
                }
            }
        }
    }

    /** Brings a link as known to the caller to the kernel; returns its ends in pods here. */
    public List<PodEnd> reconcile(LinkSpec link) {
        return pass(link, true, Pass.full(), Optional.empty());
    }

    /**
     * A pod of the link started or stopped on another node, and none of its ends here changed: the
     * cable follows the peer, each end here is taken as its port shows it (a port implies its pod
     * side: they are one veth pair). Their addresses and such are looked at by the full passes.
     */
    public void rewire(LinkSpec link) {
        pass(link, true, Pass.peers(), Optional.empty());
    }

    /**
     * One pass over a link. {@code clears}: whether a clean pass clears the link's error; a pass for
     * a pod leaving proves nothing about whether the link can be made (a failed ADD's error stays).
     * {@code known}: an attachment the caller just wrote (an ADD's own), not read back.
     */
    private List<PodEnd> pass(LinkSpec link, boolean clears, Pass pass, Optional<PodAttachment> known) {
        try (var held = locks.lock(link.id())) {
            var attached = attached(link, known);
            try {
                return done(link, planner.plan(link, attached), clears, pass);
            } catch (NetnsGoneException gone) {
                // a pod here died without its DEL: it is as good as absent, and its peer's port waits
                attached.values().removeIf(pod -> pod.node().equals(self.name()) && !pod.netns().exists());
                return done(link, planner.plan(link, attached), clears, pass);
            }
        } catch (RuntimeException e) {
            errors.fail(link.id(), e.getMessage() == null ? e.toString() : e.getMessage());
            errors.publish();
            throw new LinkFailure(link, e);
        }
    }

    private List<PodEnd> done(LinkSpec link, LinkPlan plan, boolean clears, Pass pass) {
        var ends = applier.apply(plan, pass);
        if (plan.problem().isPresent()) {
            errors.fail(link.id(), plan.problem().get());
        } else if (clears) {
            errors.clear(link.id());
        }
        errors.publish();
        if (log.isDebugEnabled()) {
            log.debug("link {}: {} end(s) here, {}", link.label(), ends.size(), plan.cable());
        }
        return ends;
    }

    /** A link left the store: its ports and tunnel go from the panel, and with each port its pod side. */
    public void remove(String linkId) {
        try (var held = locks.lock(linkId)) {
            kernel.deletePanelDevice(PanelNames.port(linkId, Side.A));
            kernel.deletePanelDevice(PanelNames.port(linkId, Side.B));
            reaper.retire(PanelNames.tunnel(linkId));
            errors.clear(linkId);
            vnis.forget(linkId);
            log.info("link {} removed", linkId);
        } finally {
            errors.publish();
        }
    }

    /**
     * One full pass against the store's {@code snapshot}: DELs that could not reach the store are
     * finished; pods of this node whose namespace is gone are forgotten (their DEL never came);
     * every link with an end here is brought to the kernel; devices in the panel that no such link
     * needs are swept away; and this node's errors are published.
     */
    public void resync(LinkSnapshot snapshot) {
        pending.retry(this::detachNow);
        nodes.refresh();
        vnis.forgetAll();
        var podsHere = new HashSet<PodRef>();
        for (var pod : snapshot.pods()) {
            if (!pod.node().equals(self.name())) {
                continue;
            }
            if (pod.netns().exists()) {
                podsHere.add(pod.pod());
            } else {
                log.info("{} is gone (its namespace {} no longer exists): forgetting it", pod.pod(), pod.netns());
                registry.detach(pod.pod(), pod.containerId());
            }
        }
        var here = snapshot.links().stream().filter(l -> podsHere.contains(l.a().pod()) || podsHere.contains(l.b().pod())).toList();
        var ids = here.stream().map(LinkSpec::id).collect(Collectors.toSet());
        errors.retainOnly(ids);
        for (var link : here) {
            try {
                reconcile(link);
            } catch (RuntimeException e) {
                log.warn("{}", e.getMessage());
            }
        }
        sweeper.sweep(ids);
        errors.publish();
    }

    /** Forgets errors a previous run of this node left in the store, once they are not current. */
    public void adoptStoredErrors() {
        errors.adopt(new LinkErrors(registry.store()).ofNode(self.name()));
    }

    /** The sides whose pods run somewhere now. */
    private Map<Side, PodAttachment> attached(LinkSpec link, Optional<PodAttachment> known) {
        var attached = new EnumMap<Side, PodAttachment>(Side.class);
        for (var side : Side.values()) {
            var pod = link.end(side).pod();
            known.filter(k -> k.pod().equals(pod)).or(() -> registry.attachment(pod)).ifPresent(a -> attached.put(side, a));
        }
        return attached;
    }

    /** What CHECK reports for a pod's links: each missing interface or address, in words. */
    public List<String> check(PodRef pod, NetnsPath netns) {
        return inspector.check(pod, netns);
    }

    @Override
    public List<LinkStatus> status() {
        return inspector.status();
    }
}
