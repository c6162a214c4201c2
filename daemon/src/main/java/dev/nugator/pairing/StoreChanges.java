package dev.nugator.pairing;

import dev.nugator.store.KeyValue;
import dev.nugator.store.WatchEvent;

/** Decodes the watch's events into {@link StoreChange}s; an event that cannot be read becomes {@link StoreChange.Unreadable}. */
final class StoreChanges {
    private final UnreadableRecords records;

    StoreChanges(UnreadableRecords records) {
        this.records = records;
    }

    StoreChange decode(WatchEvent event) {
        KeyValue kv = event.kv();
        if (event.type() == WatchEvent.Type.DELETE) {
            records.forget(kv.key());
        }
        return records.decode(kv, event.type() == WatchEvent.Type.PUT ? StoreChanges::put : StoreChanges::deleted)
                .orElseGet(() -> new StoreChange.Unreadable(kv.key()));
    }

    private static StoreChange put(KeyValue kv) {
        String key = kv.key();
        if (key.startsWith(Keys.LINKS)) {
            return new StoreChange.LinkPut(LinkJson.read(kv));
        }
        if (key.startsWith(Keys.PODS)) {
            return new StoreChange.PodPut(PodAttachment.read(kv), kv.modRevision());
        }
        if (key.startsWith(Keys.NODES)) {
            return new StoreChange.NodePut(NodeRecord.read(kv));
        }
        return new StoreChange.Other(key);
    }

    /** A delete carries only its key, which names what went. */
    private static StoreChange deleted(KeyValue kv) {
        String key = kv.key();
        if (key.startsWith(Keys.LINKS)) {
            return new StoreChange.LinkDeleted(key.substring(Keys.LINKS.length()));
        }
        if (key.startsWith(Keys.PODS)) {
            return new StoreChange.PodDeleted(PodRef.parse(key.substring(Keys.PODS.length()), PodRef.DEFAULT_NAMESPACE), kv.modRevision());
        }
        if (key.startsWith(Keys.NODES)) {
            return new StoreChange.NodeDeleted(key.substring(Keys.NODES.length()));
        }
        return new StoreChange.Other(key);
    }
}
