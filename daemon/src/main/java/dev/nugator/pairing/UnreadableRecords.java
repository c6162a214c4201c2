package dev.nugator.pairing;

import dev.nugator.store.KeyValue;
import dev.nugator.store.KvStore;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records of one store that could not be read. Every reader of stored records decodes through
 * here, so that a record a newer writer shaped differently, or a damaged one, is skipped where it is
 * read instead of failing the whole read (one bad link must not fail every ADD), and is logged once
 * per version of it rather than at every read. Readers build their own {@link LinkErrors},
 * {@link Nodes} or {@link VniAllocator} from the store alone, so the records are kept per store.
 */
final class UnreadableRecords {
    private static final Logger log = LoggerFactory.getLogger(UnreadableRecords.class);
    private static final Map<KvStore, UnreadableRecords> BY_STORE = Collections.synchronizedMap(new WeakHashMap<>());

    /** One stored record: what it is, or why it cannot be read. */
    @FunctionalInterface
    interface Decoder<T> {
        T decode(KeyValue kv);
    }

    private record Skipped(long revision, UnreadableRecord record) {}

    private final Map<String, Skipped> skipped = new ConcurrentHashMap<>();

    private UnreadableRecords() {}

    static UnreadableRecords of(KvStore store) {
        return BY_STORE.computeIfAbsent(store, s -> new UnreadableRecords());
    }

    /** The record decoded, or empty when it cannot be read (then it is skipped, and logged if new). */
    <T> Optional<T> decode(KeyValue kv, Decoder<T> decoder) {
        try {
            T value = decoder.decode(kv);
            skipped.remove(kv.key());
            return Optional.of(value);
        } catch (RuntimeException e) {
            skip(kv, e);
            return Optional.empty();
        }
    }

    /** Every record that can be read, in the order given. */
    <T> List<T> decodeAll(List<KeyValue> kvs, Decoder<T> decoder) {
        return kvs.stream().flatMap(kv -> decode(kv, decoder).stream()).toList();
    }

    /** Forgets a record that was deleted. */
    void forget(String key) {
        skipped.remove(key);
    }

    /** Reads {@code all} (everything under the store's root) and returns what cannot be read, by key. */
    List<UnreadableRecord> scan(List<KeyValue> all) {
        var present = new java.util.HashSet<String>();
        for (var kv : all) {
            present.add(kv.key());
            decode(kv, RecordKinds::check);
        }
        skipped.keySet().retainAll(present);
        return skipped.values().stream().map(Skipped::record).sorted(Comparator.comparing(UnreadableRecord::key)).toList();
    }

    private void skip(KeyValue kv, RuntimeException e) {
        var record = new UnreadableRecord(kv.key(), reason(e));
        var previous = skipped.put(kv.key(), new Skipped(kv.modRevision(), record));
        if (previous == null || previous.revision() != kv.modRevision()) {
            log.warn("skipping the stored record {} (revision {}), which cannot be read: {}", kv.key(), kv.modRevision(),
                    record.reason());
        }
    }

    private static String reason(RuntimeException e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
