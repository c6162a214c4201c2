package dev.nugator.pairing;

import dev.nugator.store.KvStore;
import dev.nugator.store.Registration;
import java.time.Duration;
import java.util.Optional;

/**
 * The nodes that run a nugatord now. Each node's record lives as long as its lease: a node whose
 * nugatord stops (or restarts slowly) drops out after {@link #TTL}. Its kernel goes on forwarding
 * all the same, so what was last known of it is kept ({@link #lastKnown}): links to its pods stay
 * wired until those pods are gone, rather than cut for a daemon's restart.
 */
public final class Nodes {
    public static final Duration TTL = Duration.ofSeconds(10);
    private final KvStore store;
    private final UnreadableRecords records;
    private final java.util.Map<String, NodeRecord> cache = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, NodeRecord> lastKnown = new java.util.concurrent.ConcurrentHashMap<>();

    public Nodes(KvStore store) {
        this.store = store;
        this.records = UnreadableRecords.of(store);
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
        var read = store.get(Keys.node(name)).flatMap(kv -> records.decode(kv, NodeRecord::read));
        read.ifPresent(r -> remember(name, r));
        return read;
    }

    /** The record a node had when it was last seen, whether or not it has one now. */
    public Optional<NodeRecord> lastKnown(String name) {
        return Optional.ofNullable(lastKnown.get(name));
    }

    private void remember(String name, NodeRecord record) {
        cache.put(name, record);
        lastKnown.put(name, record);
    }

    /** A watch saw a node's record change ({@code record} empty: it went). */
    public void learn(String name, Optional<NodeRecord> record) {
        record.ifPresentOrElse(r -> remember(name, r), () -> cache.remove(name));
    }

    /** Reads every node again (the resync's pass: events may have been lost). */
    public void refresh() {
        var fresh = new java.util.HashMap<String, NodeRecord>();
        records.decodeAll(store.range(Keys.NODES), NodeRecord::read).forEach(r -> fresh.put(r.name(), r));
        cache.keySet().retainAll(fresh.keySet());
        fresh.forEach(this::remember);
    }
}
