package dev.nugator.pairing;

import dev.nugator.cni.Json;
import dev.nugator.store.WatchEvent;

/**
 * One change the store's watch reported, decoded where the records' format lives: what a node's
 * reconciler reacts to. Keys it has no use for (topologies, VNIs, errors) are {@link Other}.
 */
public sealed interface StoreChange {
    /** A link was applied or changed. */
    record LinkPut(LinkSpec link) implements StoreChange {}

    /** A link was deleted: only its id is left. */
    record LinkDeleted(String id) implements StoreChange {}

    /** A pod started (or restarted) on some node; {@code revision} is the write's. */
    record PodPut(PodAttachment pod, long revision) implements StoreChange {}

    /** A pod stopped; {@code revision} is the delete's. */
    record PodDeleted(PodRef pod, long revision) implements StoreChange {}

    /** A node's nugatord (re)published its record. */
    record NodePut(NodeRecord node) implements StoreChange {}

    /** A node's record went: its nugatord stopped, or its lease ran out. */
    record NodeDeleted(String name) implements StoreChange {}

    /** Anything else under the root. */
    record Other(String key) implements StoreChange {}

    /** Decodes one watch event. */
    static StoreChange decode(WatchEvent event) {
        String key = event.kv().key();
        boolean put = event.type() == WatchEvent.Type.PUT;
        if (key.startsWith(Keys.LINKS)) {
            String id = key.substring(Keys.LINKS.length());
            return put ? new LinkPut(LinkJson.read(Json.parseObject(event.kv().value(), key))) : new LinkDeleted(id);
        }
        if (key.startsWith(Keys.PODS)) {
            return put ? new PodPut(PodAttachment.fromJson(Json.parseObject(event.kv().value(), key)), event.kv().modRevision())
                    : new PodDeleted(PodRef.parse(key.substring(Keys.PODS.length()), PodRef.DEFAULT_NAMESPACE), event.kv().modRevision());
        }
        if (key.startsWith(Keys.NODES)) {
            return put ? new NodePut(NodeRecord.fromJson(Json.parseObject(event.kv().value(), key)))
                    : new NodeDeleted(key.substring(Keys.NODES.length()));
        }
        return new Other(key);
    }
}
