package dev.nugator.pairing;

import dev.nugator.store.KvStore;
import dev.nugator.store.Registration;
import java.time.Duration;
import java.util.Optional;

/**
 * The nodes that run a nugatord now. Each node's record lives as long as its lease: a node that
 * dies without a word drops out after {@link #TTL}, and its peers stop pointing VXLAN ends at it
 * only when a pod of theirs moves (a stale remote costs nothing but dropped packets).
 */
public final class Nodes {
    public static final Duration TTL = Duration.ofSeconds(10);
    private final KvStore store;
    private final java.util.Map<String, NodeRecord> cache = new java.util.concurrent.ConcurrentHashMap<>();

    public Nodes(KvStore store) {
        this.store = store;
    }

    /** Publishes this node until the returned registration is closed. */
    public Registration publish(NodeRecord self) {
        return store.keepAlive(Keys.node(self.name()), LinkRegistry.bytes(self.toJson()), TTL);
    }

    /** The node's record: from what the watch told (see {@link #learn}), else read from the store. */
    public Optional<NodeRecord> find(String name) {
        var known = cache.get(name);
        if (known != null) {
            return Optional.of(known);
        }
        var read = store.get(Keys.node(name)).map(kv -> NodeRecord.fromJson(LinkRegistry.tree(kv)));
        read.ifPresent(r -> cache.put(name, r));
        return read;
    }

    /** A watch saw a node's record change ({@code record} empty: it went). */
    public void learn(String name, Optional<NodeRecord> record) {
        record.ifPresentOrElse(r -> cache.put(name, r), () -> cache.remove(name));
    }

    /** Reads every node again (the resync's pass: events may have been lost). */
    public void refresh() {
        var fresh = new java.util.HashMap<String, NodeRecord>();
        store.range(Keys.NODES).forEach(kv -> {
            var r = NodeRecord.fromJson(LinkRegistry.tree(kv));
            fresh.put(r.name(), r);
        });
        cache.keySet().retainAll(fresh.keySet());
        cache.putAll(fresh);
    }
}
