package dev.nugator.link;

import dev.nugator.cni.Json;
import dev.nugator.pairing.Keys;
import dev.nugator.pairing.LinkJson;
import dev.nugator.pairing.LinkRegistry;
import dev.nugator.pairing.LinkSpec;
import dev.nugator.store.Watch;
import dev.nugator.store.WatchEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Links applied or deleted while pods run take effect at once: a watch on the links in the store
 * hands each change to the engine. It keeps the last known version of every link, because a
 * deleted link's interfaces can only be found through what it was.
 */
public final class LinkWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LinkWatcher.class);
    private final LinkRegistry registry;
    private final LinkEngine engine;
    private final Map<String, LinkSpec> known = new ConcurrentHashMap<>();
    private Watch watch;

    public LinkWatcher(LinkRegistry registry, LinkEngine engine) {
        this.registry = registry;
        this.engine = engine;
    }

    /** Brings every stored link to the kernel once (after a restart), then follows changes. */
    public void start() {
        long revision = registry.store().revision();
        for (var link : registry.links()) {
            known.put(link.id(), link);
            reconcileQuietly(link.id());
        }
        watch = registry.store().watch(Keys.LINKS, revision, this::onChanges);
    }

    private void onChanges(List<WatchEvent> events) {
        for (var event : events) {
            String id = event.kv().key().substring(Keys.LINKS.length());
            if (event.type() == WatchEvent.Type.PUT) {
                var link = LinkJson.read(Json.parseObject(event.kv().value(), event.kv().key()));
                var previous = known.put(id, link);
                if (previous != null && !previous.equals(link)) {
                    log.info("link {} changed", link.label());
                }
                reconcileQuietly(id);
            } else {
                var gone = known.remove(id);
                if (gone != null) {
                    removeQuietly(gone);
                }
            }
        }
    }

    private void reconcileQuietly(String id) {
        try {
            engine.reconcile(id);
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
        if (watch != null) {
            watch.close();
        }
    }
}
