package dev.nugator.store;

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

    /** The store's current revision: it grows by one with every transaction that changes something. */
    long revision();

    /**
     * Calls {@code listener} with the changes under {@code prefix} made after {@code afterRevision},
     * in revision order, on a thread of the store's own (never the writer's). Close the watch to stop.
     */
    Watch watch(String prefix, long afterRevision, Consumer<List<WatchEvent>> listener);

    /** Why the store cannot take writes now, for STATUS and status output; empty when it can. */
    Optional<String> unavailableReason();

    @Override
    void close();

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
