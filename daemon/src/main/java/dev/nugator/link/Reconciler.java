package dev.nugator.link;

import dev.nugator.cni.Json;
import dev.nugator.pairing.Keys;
import dev.nugator.pairing.LinkJson;
import dev.nugator.pairing.LinkRegistry;
import dev.nugator.pairing.LinkSpec;
import dev.nugator.pairing.PodAttachment;
import dev.nugator.pairing.PodRef;
import dev.nugator.store.StoreUnavailableException;
import dev.nugator.store.Watch;
import dev.nugator.store.WatchEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the kernel of this node as the store wants it. A watch on the store wakes it for what
 * changes: a link applied, changed or deleted; a pod starting or stopping on any node (its peers
 * here follow: veth, tunnel, or a new remote); a node appearing (tunnels get their remote). A
 * periodic resync catches what no event announces: an end deleted by hand, a pod whose namespace
 * vanished without a DEL, events lost while the store was down. Errors go to status, not only the log.
 *
 * <p>It remembers every link it has seen, because a deleted link's interfaces can only be found
 * through what it was, and where each pod runs, so that an event touches only the links it concerns.
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

    private void follow() {
        long revision = registry.store().revision();
        engine.adoptStoredErrors();
        resyncNow();
        watch = registry.store().watch(Keys.ROOT, revision, this::onChanges);
    }

    private void onChanges(List<WatchEvent> events) {
        for (var event : events) {
            String key = event.kv().key();
            boolean put = event.type() == WatchEvent.Type.PUT;
            if (key.startsWith(Keys.LINKS)) {
                onLink(key.substring(Keys.LINKS.length()), put ? event.kv().value() : null);
            } else if (key.startsWith(Keys.PODS)) {
                var pod = put ? PodAttachment.fromJson(Json.parseObject(event.kv().value(), key)) : null;
                if (pod != null && engine.attachedHere(pod.pod(), event.kv().modRevision())) {
                    podNodes.put(pod.pod(), pod.node());   // this node's own ADD: its links are made already
                } else {
                    onPod(key, pod);
                }
            } else if (key.startsWith(Keys.NODES)) {
                String name = key.substring(Keys.NODES.length());
                engine.nodeChanged(name, put ? java.util.Optional.of(dev.nugator.pairing.NodeRecord.fromJson(
                        Json.parseObject(event.kv().value(), key))) : java.util.Optional.empty());
                onNode(name);
            }
        }
    }

    private void onLink(String id, byte[] value) {
        if (value != null) {
            var link = LinkJson.read(Json.parseObject(value, Keys.link(id)));
            var previous = known.put(id, link);
            if (previous != null && !previous.equals(link)) {
                log.info("link {} changed", link.label());
            }
            reconcileQuietly(link);
        } else {
            var gone = known.remove(id);
            if (gone != null) {
                removeQuietly(gone);
            }
        }
    }

    /**
     * A pod started or stopped somewhere: its links' ends here follow it. Only links with an end
     * on this node (before or after the change) concern this node.
     */
    private void onPod(String key, PodAttachment pod) {
        var ref = PodRef.parse(key.substring(Keys.PODS.length()), PodRef.DEFAULT_NAMESPACE);
        var previous = pod != null ? podNodes.put(ref, pod.node()) : podNodes.remove(ref);
        boolean wasOrIsHere = engine.node().equals(previous) || pod != null && engine.node().equals(pod.node());
        known.values().stream().filter(l -> l.sideOf(ref).isPresent())
                .filter(l -> wasOrIsHere || hasPodOn(l, engine.node()))
                .forEach(this::reconcileQuietly);
    }

    /** A node (re)appeared or went: tunnels here towards its pods get their remote. */
    private void onNode(String node) {
        known.values().stream().filter(l -> hasPodOn(l, engine.node()) && hasPodOn(l, node)).forEach(this::reconcileQuietly);
    }

    private boolean hasPodOn(LinkSpec link, String node) {
        return node.equals(podNodes.get(link.a().pod())) || node.equals(podNodes.get(link.b().pod()));
    }

    /**
     * One full pass: pods of this node whose namespace is gone are forgotten (their DEL never came
     * or could not reach the store), links deleted unseen are removed, every link with an end on
     * this node is brought to the kernel, ends of links no longer stored are swept away, and this
     * node's errors are published.
     */
    void resyncNow() {
        engine.retryPendingDetaches();
        engine.refreshCaches();
        var pods = registry.attachments();
        podNodes.clear();
        for (var pod : pods) {
            if (pod.node().equals(engine.node()) && !Files.exists(Path.of(pod.netns()))) {
                log.info("{} is gone (its namespace {} no longer exists): forgetting it", pod.pod(), pod.netns());
                registry.detach(pod.pod(), pod.containerId());
            } else {
                podNodes.put(pod.pod(), pod.node());
            }
        }
        var links = registry.links();
        var ids = new HashSet<String>();
        for (var link : links) {
            ids.add(link.id());
            known.put(link.id(), link);
        }
        for (var id : List.copyOf(known.keySet())) {
            if (!ids.contains(id)) {
                removeQuietly(known.remove(id));
            }
        }
        var here = links.stream().filter(l -> hasPodOn(l, engine.node())).toList();
        engine.keepErrorsOnlyOf(here.stream().map(LinkSpec::id).collect(java.util.stream.Collectors.toSet()));
        here.forEach(this::reconcileQuietly);
        engine.sweep(ids, pods.stream().filter(p -> p.node().equals(engine.node())).toList());
        engine.publishErrors();
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
        try {
            engine.reconcile(link);
        } catch (RuntimeException e) {
            log.warn("{}", e.getMessage());
        }
    }

    private void removeQuietly(LinkSpec link) {
        try {
            engine.remove(link);
        } catch (RuntimeException e) {
            log.warn("removing link {}: {}", link.label(), e.getMessage());
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
