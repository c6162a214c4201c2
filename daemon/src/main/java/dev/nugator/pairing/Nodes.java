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

    public Nodes(KvStore store) {
        this.store = store;
    }

    /** Publishes this node until the returned registration is closed. */
    public Registration publish(NodeRecord self) {
        return store.keepAlive(Keys.node(self.name()), LinkRegistry.bytes(self.toJson()), TTL);
    }

    public Optional<NodeRecord> find(String name) {
        return store.get(Keys.node(name)).map(kv -> NodeRecord.fromJson(LinkRegistry.tree(kv)));
    }
}
