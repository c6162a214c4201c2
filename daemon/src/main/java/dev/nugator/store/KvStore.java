package dev.nugator.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The key-value store behind links, attachments and nodes, shaped like etcd v3 so that the
 * embedded store (one node) and an etcd cluster (many nodes) are interchangeable: revisions,
 * transactions with compares, prefix ranges and prefix watches. Keys are UTF-8 strings, values bytes.
 *
 * <p>Every read-modify-write is one {@link #txn}: read, then write only if what was read has not
 * changed (compare on mod revision), retrying on conflict. Never read-then-write blindly.
 */
public interface KvStore extends AutoCloseable {

    Optional<KeyValue> get(String key);

    /** Every key starting with {@code prefix}, in key order. */
    List<KeyValue> range(String prefix);

    /** If every compare holds, applies {@code onSuccess}, else {@code onFailure}; all of it atomically. */
    TxnResult txn(List<Compare> compares, List<Op> onSuccess, List<Op> onFailure);

    /**
     * {@link #txn} with no writes on failure; when a compare fails, the compared keys are read as
     * they are after it ({@link TxnResult#read}), in the same round trip where the store can: what a
     * caller keeping copies of those keys needs before it tries again.
     */
    default TxnResult txnReadingBack(List<Compare> compares, List<Op> onSuccess) {
        var result = txn(compares, onSuccess, List.of());
        if (result.succeeded()) {
            return result;
        }
        var read = compares.stream().map(Compare::key).distinct().map(this::get).flatMap(Optional::stream).toList();
        return new TxnResult(false, result.revision(), read);
    }

    /** The store's current revision: it grows by one with every transaction that changes something. */
    long revision();

    /**
     * Calls {@code listener} with the changes under {@code prefix} made after {@code afterRevision},
     * in revision order, on a thread of the store's own (never the writer's). Close the watch to stop.
     */
    Watch watch(String prefix, long afterRevision, Consumer<List<WatchEvent>> listener);

    /**
     * Writes {@code key} = {@code value} and keeps it for as long as the returned registration is
     * open: the record of something alive, such as this node. In etcd the key is bound to a lease
     * of {@code ttl} (at least 1 s) that a thread renews; if this process dies the key goes within
     * the TTL, and outages shorter than the TTL do not remove it; after a longer one it comes back
     * on its own (see {@link EtcdLeaseKeeper}). The embedded store, with one node, writes the key
     * once and deletes it on close. Closing the store closes its registrations.
     *
     * @throws StoreUnavailableException only from the embedded store, when it cannot write now
     *     (etcd keeps trying in the background instead: {@link Registration#isLive} says when it is there)
     */
    Registration keepAlive(String key, byte[] value, Duration ttl);

    /** Why the store cannot take writes now, for STATUS and status output; empty when it can. */
    Optional<String> unavailableReason();

    @Override
    void close();

    /** Reads again what the store keeps in memory, if it keeps anything (see {@link StoreView}); a store read directly has nothing to do. */
    default void refresh() {
    }

    /** The store itself, past any copy kept in memory: for what an operator asks to see as stored now. */
    default KvStore direct() {
        return this;
    }

    /**
     * Waits (at most {@code limit}) until what was written up to {@code revision} can be read here;
     * a store read directly always can.
     */
    default void awaitRevision(long revision, java.time.Duration limit) {
    }

    default long put(String key, byte[] value) {
        return txn(List.of(), List.of(new Op.Put(key, value)), List.of()).revision();
    }

    default boolean delete(String key) {
        return txn(List.of(new Compare.Exists(key)), List.of(new Op.Delete(key)), List.of()).succeeded();
    }

    /** Writes only when the key's mod revision is still {@code expected} (0: the key must be absent). */
    default boolean compareAndPut(String key, byte[] value, long expected) {
        return txn(List.of(new Compare.ModRevision(key, expected)), List.of(new Op.Put(key, value)), List.of()).succeeded();
    }

    default boolean compareAndDelete(String key, long expected) {
        return txn(List.of(new Compare.ModRevision(key, expected)), List.of(new Op.Delete(key)), List.of()).succeeded();
    }
}
