package dev.nugator.store;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kept-alive key in the embedded store: written once, deleted on close, never expiring. Expiry
 * exists for other nodes, so that they stop trusting the record of a node that died; an embedded
 * store has one node, whose only reader of the record is itself, and a restart after a crash
 * writes the record again. The delete compares the revision of our own write, so a key that
 * someone has written since is left to them, as etcd leaves a key put again without our lease.
 */
final class EmbeddedRegistration implements Registration {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedRegistration.class);

    private final KvStore store;
    private final String key;
    private final long revision;
    private final Consumer<EmbeddedRegistration> onEnd;
    private final AtomicBoolean ended = new AtomicBoolean();

    private EmbeddedRegistration(KvStore store, String key, long revision, Consumer<EmbeddedRegistration> onEnd) {
        this.store = store;
        this.key = key;
        this.revision = revision;
        this.onEnd = onEnd;
    }

    /** Writes the key now; the store's failure to write is thrown, as the store cannot recover from it by itself. */
    static EmbeddedRegistration start(KvStore store, String key, byte[] value, Duration ttl, Consumer<EmbeddedRegistration> onEnd) {
        EtcdLeaseKeeper.requireKeepable(key, ttl);
        return new EmbeddedRegistration(store, key, store.put(key, value), onEnd);
    }

    @Override
    public boolean isLive() {
        return !ended.get();
    }

    @Override
    public void close() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        try {
            store.compareAndDelete(key, revision);
        } catch (StoreUnavailableException e) {
            log.warn("{}: cannot delete {}: {}", store, key, e.getMessage());
        } finally {
            onEnd.accept(this);
        }
    }

    @Override
    public String toString() {
        return store + " " + key;
    }
}
