package dev.nugator.link;

import dev.nugator.pairing.Keys;
import dev.nugator.pairing.LinkRegistry;
import dev.nugator.pairing.LinkSpec;
import dev.nugator.pairing.PodRef;
import dev.nugator.pairing.StoreChange;
import dev.nugator.store.StoreUnavailableException;
import dev.nugator.store.Watch;
import dev.nugator.store.WatchEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the kernel of this node as the store wants it. A watch on the store wakes it for what
 * changes: a link applied, changed or deleted; a pod starting or stopping on any node (its peers
 * here follow); a node appearing (tunnels towards it get wired). A periodic resync catches what
 * no event announces: a device deleted by hand, a pod whose namespace vanished without a DEL,
 * events lost while the store was down. Errors go to status, not only the log.
 *
 * <p>It remembers the links it has seen and where each pod runs, so that an event touches only
 * the links it concerns.
 */
public final class Reconciler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private final LinkRegistry registry;
    private final LinkEngine engine;
    private final Duration resyncInterval;
    private final Map<String, LinkSpec> known = new ConcurrentHashMap<>();
    private final Map<PodRef, String> podNodes = new ConcurrentHashMap<>();
    private final ScheduledExecutorService resync;
    private volatile boolean storeDown;
    private volatile Watch watch;

    public Reconciler(LinkRegistry registry, LinkEngine engine, Duration resyncInterval) {
        this.registry = registry;
        this.engine = engine;
        this.resyncInterval = resyncInterval;
        this.resync = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("nugator-resync").factory());
    }

    /**
     * Brings every stored link to the kernel once (after a restart), then follows changes and
     * resyncs. A store that does not answer yet does not stop nugatord: the resync keeps trying.
     */
    public void start() {
        try {
            follow();
        } catch (StoreUnavailableException e) {
            log.warn("the store does not answer ({}); links follow once it does", e.getMessage());
            storeDown = true;
        }
        long period = resyncInterval.toMillis();
        resync.scheduleWithFixedDelay(this::resyncQuietly, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Reads everything, starts following changes, then brings everything to the kernel once. The
     * watch comes before that pass, so that no change made during it is missed (a change seen twice
     * is only reconciled twice).
     */
    private void follow() {
        registry.store().refresh();
        long revision = registry.store().revision();
        watch = registry.store().watch(Keys.ROOT, revision, this::onChanges);
        engine.adoptStoredErrors();
        passOverAll();   // the store was just read whole: no second read
    }

    private void onChanges(List<WatchEvent> events) {
        for (var event : events) {
            switch (registry.change(event)) {
                case StoreChange.LinkPut put -> onLink(put.link());
                case StoreChange.LinkDeleted deleted -> {
                    known.remove(deleted.id());
                    quietly("removing link " + deleted.id(), () -> engine.remove(deleted.id()));
                }
                case StoreChange.PodPut put when engine.attachedHere(put.pod(), put.revision()) ->
                        podNodes.put(put.pod().pod(), put.pod().node());   // this node's own ADD: its links are made already
                case StoreChange.PodPut put -> onPod(put.pod().pod(), Optional.of(put.pod().node()));
                case StoreChange.PodDeleted deleted when engine.detachedHere(deleted.pod(), deleted.revision()) ->
                        podNodes.remove(deleted.pod());   // this node's own DEL: its links followed already
                case StoreChange.PodDeleted deleted -> onPod(deleted.pod(), Optional.empty());
                case StoreChange.NodePut put -> onNode(put.node().name(), Optional.of(put.node()));
                case StoreChange.NodeDeleted deleted -> onNode(deleted.name(), Optional.empty());
                case StoreChange.Unreadable skipped -> { }   // logged and listed where it was decoded
                case StoreChange.Other other -> { }
            }
        }
    }

    private void onLink(LinkSpec link) {
        var previous = known.put(link.id(), link);
        if (previous != null && !previous.equals(link)) {
            log.info("link {} changed", link.label());
        }
        reconcileQuietly(link);
    }

    /**
     * A pod started or stopped somewhere: its links' ends here follow it. Only links with an end
     * on this node (before or after the change) concern this node. A pod that neither was nor is
     * here changes only the cables of its peers here (a rewiring pass); one that was or is here
     * has its links looked at in full.
     */
    private void onPod(PodRef pod, Optional<String> node) {
        var previous = node.isPresent() ? podNodes.put(pod, node.get()) : podNodes.remove(pod);
        boolean wasOrIsHere = engine.node().equals(previous) || node.filter(engine.node()::equals).isPresent();
        var links = registry.linksOf(pod);   // the view's, which is at or past this event
        if (wasOrIsHere) {
            links.forEach(this::reconcileQuietly);
        } else {
            links.stream().filter(l -> hasPodOn(l, engine.node())).forEach(l -> quietly(l, engine::rewire));
        }
    }

    /** A node (re)appeared or went: tunnels here towards its pods follow. */
    private void onNode(String node, Optional<dev.nugator.pairing.NodeRecord> record) {
        engine.nodeChanged(node, record);
        known.values().stream().filter(l -> hasPodOn(l, engine.node()) && hasPodOn(l, node)).forEach(this::reconcileQuietly);
    }

    private boolean hasPodOn(LinkSpec link, String node) {
        return node.equals(podNodes.get(link.a().pod())) || node.equals(podNodes.get(link.b().pod()));
    }

    /** One full pass: the store is read once, the engine brings the kernel to it. */
    void resyncNow() {
        registry.store().refresh();   // a store read from memory is compared with the real one here
        passOverAll();
    }

    private void passOverAll() {
        var snapshot = registry.snapshot();
        podNodes.clear();
        snapshot.pods().forEach(pod -> podNodes.put(pod.pod(), pod.node()));
        known.clear();
        snapshot.links().forEach(link -> known.put(link.id(), link));
        engine.resync(snapshot);
    }

    private void resyncQuietly() {
        try {
            if (watch != null && watch.ended()) {
                log.warn("the store ended its watch; reading everything again and watching anew");
                watch.close();
                watch = null;
            }
            if (watch == null) {
                follow();
            } else {
                resyncNow();
            }
            if (storeDown) {
                log.info("the store answers again: links resynced");
                storeDown = false;
            }
        } catch (StoreUnavailableException e) {
            if (!storeDown) {
                log.warn("resync: {}; retrying every {} s", e.getMessage(), resyncInterval.toSeconds());
                storeDown = true;
            }
        } catch (RuntimeException e) {
            log.warn("resync failed: {}", e.toString(), e);
        }
    }

    private void reconcileQuietly(LinkSpec link) {
        quietly(link, engine::reconcile);
    }

    private static void quietly(LinkSpec link, Consumer<LinkSpec> pass) {
        try {
            pass.accept(link);
        } catch (RuntimeException e) {
            log.warn("{}", e.getMessage());   // a LinkFailure names its link
        }
    }

    private static void quietly(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            log.warn("{}: {}", what, e.getMessage());
        }
    }

    @Override
    public void close() {
        resync.shutdownNow();
        if (watch != null) {
            watch.close();
        }
    }
}
