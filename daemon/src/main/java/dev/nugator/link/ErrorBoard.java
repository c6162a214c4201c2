package dev.nugator.link;

import dev.nugator.pairing.LinkErrors;
import dev.nugator.store.StoreUnavailableException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's current link errors: kept here for its own status, and mirrored to the store for
 * every other reader. The mirror follows changes only, and a store that is down only delays it:
 * {@link #publish()} runs again at every resync.
 */
final class ErrorBoard {
    private static final Logger log = LoggerFactory.getLogger(ErrorBoard.class);
    private final String node;
    private final LinkErrors store;
    private final Map<String, String> current = new ConcurrentHashMap<>();
    private final Map<String, String> published = new HashMap<>();

    ErrorBoard(String node, LinkErrors store) {
        this.node = node;
        this.store = store;
    }

    void fail(String linkId, String message) {
        current.put(linkId, message);
    }

    void clear(String linkId) {
        current.remove(linkId);
    }

    void retainOnly(java.util.Set<String> linkIds) {
        current.keySet().retainAll(linkIds);
    }

    Optional<String> get(String linkId) {
        return Optional.ofNullable(current.get(linkId));
    }

    /** Brings the store's errors of this node to what is current here. */
    synchronized void publish() {
        try {
            for (var e : Map.copyOf(current).entrySet()) {
                if (!e.getValue().equals(published.get(e.getKey()))) {
                    store.report(node, e.getKey(), e.getValue());
                    published.put(e.getKey(), e.getValue());
                }
            }
            for (var id : java.util.List.copyOf(published.keySet())) {
                if (!current.containsKey(id)) {
                    store.clear(node, id);
                    published.remove(id);
                }
            }
        } catch (StoreUnavailableException e) {
            log.debug("link errors not published yet: {}", e.getMessage());
        }
    }

    /** After a restart the store may hold errors this node no longer has: they go at the first publish. */
    synchronized void adopt(Map<String, String> stored) {
        published.putAll(stored);
    }
}
