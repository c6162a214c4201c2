package dev.nugator.pairing;

import dev.nugator.store.KvStore;
import java.util.HashMap;
import java.util.Map;

/**
 * The errors nodes report for links they cannot make, so that {@code nugatorctl status} shows a
 * failure on any node, not only in that node's log.
 */
public final class LinkErrors {
    private final KvStore store;

    public LinkErrors(KvStore store) {
        this.store = store;
    }

    public void report(String node, String linkId, String message) {
        store.put(Keys.error(node, linkId), LinkRegistry.bytes(dev.nugator.cni.Json.MAPPER.createObjectNode()
                .put("link", linkId).put("node", node).put("message", message)));
    }

    public void clear(String node, String linkId) {
        store.delete(Keys.error(node, linkId));
    }

    /** Every reported error by link id, as "node: message" (one per link; the first node's when several). */
    public Map<String, String> byLink() {
        var result = new HashMap<String, String>();
        for (var kv : store.range(Keys.ERRORS)) {
            var json = LinkRegistry.tree(kv);
            result.putIfAbsent(json.path("link").asText(), "on node " + json.path("node").asText() + ": " + json.path("message").asText());
        }
        return result;
    }

    /** What the store holds for one node: message by link id. */
    public Map<String, String> ofNode(String node) {
        var result = new HashMap<String, String>();
        for (var kv : store.range(Keys.ERRORS + node + "/")) {
            var json = LinkRegistry.tree(kv);
            result.put(json.path("link").asText(), json.path("message").asText());
        }
        return result;
    }
}
