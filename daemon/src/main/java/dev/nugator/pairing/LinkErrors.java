package dev.nugator.pairing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.store.KeyValue;
import dev.nugator.store.KvStore;
import java.util.HashMap;
import java.util.Map;

/**
 * The errors nodes report for links they cannot make, so that {@code nugatorctl status} shows a
 * failure on any node, not only in that node's log.
 */
public final class LinkErrors {
    private final KvStore store;
    private final UnreadableRecords records;

    /** One stored error: {@code {"link", "node", "message"}}. */
    record Entry(String link, String node, String message) {
        static Entry read(KeyValue kv) {
            ObjectNode json = StoredJson.object(kv);
            String fromKey = kv.key().substring(Keys.ERRORS.length()).split("/", 2)[0];
            return new Entry(StoredJson.text(json, "link"), json.path("node").asText(fromKey), json.path("message").asText(""));
        }
    }

    public LinkErrors(KvStore store) {
        this.store = store;
        this.records = UnreadableRecords.of(store);
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
        for (var e : records.decodeAll(store.range(Keys.ERRORS), Entry::read)) {
            result.putIfAbsent(e.link(), "on node " + e.node() + ": " + e.message());
        }
        return result;
    }

    /** What the store holds for one node: message by link id. */
    public Map<String, String> ofNode(String node) {
        var result = new HashMap<String, String>();
        records.decodeAll(store.range(Keys.ERRORS + node + "/"), Entry::read).forEach(e -> result.put(e.link(), e.message()));
        return result;
    }
}
