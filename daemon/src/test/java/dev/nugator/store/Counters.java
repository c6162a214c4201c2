package dev.nugator.store;

import java.nio.charset.StandardCharsets;

/** A counter kept in a store the only safe way: read, add one, write only if unchanged, retry. */
final class Counters {
    private Counters() {}

    /** Increments {@code key} {@code times} times; returns how often another writer got there first. */
    static int increment(KvStore store, String key, int times) {
        int conflicts = 0;
        for (int i = 0; i < times; i++) {
            while (!incrementOnce(store, key)) {
                conflicts++;
            }
        }
        return conflicts;
    }

    private static boolean incrementOnce(KvStore store, String key) {
        var current = store.get(key);
        long value = current.map(kv -> Long.parseLong(kv.text())).orElse(0L);
        long expected = current.map(KeyValue::modRevision).orElse(0L);
        return store.compareAndPut(key, String.valueOf(value + 1).getBytes(StandardCharsets.UTF_8), expected);
    }
}
