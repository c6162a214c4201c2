package dev.nugator.pairing;

import dev.nugator.store.KeyValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records of one kind, each decoded once per version. Every ADD reads every link to find the pod's
 * (hundreds of records, read from memory); parsing them all again each time was most of nugatord's
 * CPU in a bring-up (measured with JFR: 29% of its samples). A record read again at the same mod
 * revision is the same bytes (a store never reuses a revision for a key), so its decoded value is
 * reused; a record that cannot be read stays skipped until it changes. And the very list read
 * again (a view of the store keeps its range reads while nothing under them changes) gives the
 * very list decoded from it before, without a look at its records.
 */
final class DecodedRecords<T> {
    private record Entry<T>(long modRevision, Optional<T> value) {}

    /** The last list of every record decoded, and what it gave. */
    private record Decoded<T>(List<KeyValue> read, List<T> values) {}

    private final UnreadableRecords records;
    private final UnreadableRecords.Decoder<T> decoder;
    private final Map<String, Entry<T>> entries = new ConcurrentHashMap<>();
    private volatile Decoded<T> last;

    DecodedRecords(UnreadableRecords records, UnreadableRecords.Decoder<T> decoder) {
        this.records = records;
        this.decoder = decoder;
    }

    Optional<T> decode(KeyValue kv) {
        var known = entries.get(kv.key());
        if (known != null && known.modRevision() == kv.modRevision() && kv.modRevision() > 0) {
            return known.value();
        }
        var value = records.decode(kv, decoder);
        entries.put(kv.key(), new Entry<>(kv.modRevision(), value));
        return value;
    }

    /**
     * Every record of {@code kvs} that can be read, in their order. {@code all} says that
     * {@code kvs} is every record of the kind: the decoded values of keys gone are then dropped.
     */
    List<T> decodeAll(List<KeyValue> kvs, boolean all) {
        var known = last;
        if (all && known != null && known.read() == kvs) {
            return known.values();
        }
        var decoded = new ArrayList<T>(kvs.size());
        for (var kv : kvs) {
            decode(kv).ifPresent(decoded::add);
        }
        if (all && entries.size() > kvs.size()) {
            var present = new HashSet<String>(kvs.size() * 2);
            kvs.forEach(kv -> present.add(kv.key()));
            entries.keySet().retainAll(present);
        }
        var values = List.copyOf(decoded);
        if (all) {
            last = new Decoded<>(kvs, values);
        }
        return values;
    }
}
