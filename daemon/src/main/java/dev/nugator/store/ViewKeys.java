package dev.nugator.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The keys a {@link StoreView} holds, each with its mod revision, and for a while the revision
 * each deleted key was deleted at. A change is taken only when it is newer than what is there, so
 * that the watch's late echo of a write already applied, or a full read racing with the watch,
 * never brings an older state back.
 *
 * <p>A range read is kept until a key under its prefix changes: an ADD reads every link, and while
 * the links stay as they are (all through a bring-up, whose writes are pods) it gets the very same
 * list again, which lets its readers keep what they derived from it (see {@code DecodedRecords}).
 */
final class ViewKeys {
    private static final int MAX_RANGES_KEPT = 32;
    private final ConcurrentSkipListMap<String, KeyValue> keys = new ConcurrentSkipListMap<>();
    private final Map<String, Long> deletedAt = new ConcurrentHashMap<>();
    /**
     * Range reads by prefix, each dropped when a key under it changes; a few dozen at most (the
     * sweeper reads links by the prefix a panel device names, one prefix per device).
     */
    private final Map<String, List<KeyValue>> ranges = new ConcurrentHashMap<>();
    /** Bumped by every change, after it: a range read across one is not kept. */
    private volatile long changes;
    /** The revision a full read under way began at; none: Long.MAX_VALUE. */
    private volatile long readingFrom = Long.MAX_VALUE;

    Optional<KeyValue> get(String key) {
        return Optional.ofNullable(keys.get(key));
    }

    List<KeyValue> range(String prefix) {
        var kept = ranges.get(prefix);
        if (kept != null) {
            return kept;
        }
        long before = changes;
        var read = List.copyOf(keys.subMap(prefix, true, prefix + Character.MAX_VALUE, false).values());
        synchronized (this) {
            if (changes == before) {
                if (ranges.size() >= MAX_RANGES_KEPT) {
                    ranges.clear();   // the ones read often come back at their next read
                }
                ranges.put(prefix, read);
            }
        }
        return read;
    }

    /** How many range reads are kept (for tests). */
    int rangesKept() {
        return ranges.size();
    }

    synchronized void apply(WatchEvent event) {
        var kv = event.kv();
        if (event.type() == WatchEvent.Type.PUT) {
            put(kv);
        } else {
            delete(kv.key(), kv.modRevision());
        }
    }

    /**
     * A full read made at revision {@code before} or later: every key it holds, and none it lacks
     * (unless newer). Returns how many keys the view, at revision {@code applied}, should have held
     * as read but did not (changes its watch lost).
     */
    synchronized int merge(List<KeyValue> read, long before, long applied) {
        var seen = new HashSet<String>();
        int missed = 0;
        for (var kv : read) {
            var had = keys.get(kv.key());
            Long deleted = deletedAt.get(kv.key());
            boolean newerHere = had != null ? had.modRevision() >= kv.modRevision() : deleted != null && deleted >= kv.modRevision();
            if (kv.modRevision() <= applied && !newerHere) {
                missed++;
            }
            put(kv);
            seen.add(kv.key());
        }
        for (var kv : new ArrayList<>(keys.values())) {
            if (!seen.contains(kv.key()) && kv.modRevision() <= before) {
                delete(kv.key(), before);
            }
        }
        return missed;
    }

    /** What a successful transaction wrote, at its revision. */
    synchronized void wrote(List<Op> ops, long revision) {
        for (var op : ops) {
            switch (op) {
                case Op.Put put -> put(new KeyValue(put.key(), put.value(),
                        get(put.key()).map(KeyValue::createRevision).orElse(revision), revision));
                case Op.Delete delete -> delete(delete.key(), revision);
                case Op.DeletePrefix all -> range(all.prefix()).forEach(kv -> delete(kv.key(), revision));
            }
        }
    }

    /** A key read from the store after a transaction failed on it; {@code atLeast} bounds when it was read. */
    synchronized void reread(String key, Optional<KeyValue> read, long atLeast) {
        read.ifPresentOrElse(this::put, () -> delete(key, atLeast));
    }

    /**
     * Deletes older than what the watch has brought are history: no late event can be older than
     * them now. But a full read under way may be: those from its start on are kept until it is
     * merged ({@link #readStarts}).
     */
    void forgetTombstonesUpTo(long revision) {
        long upTo = Math.min(revision, readingFrom - 1);
        deletedAt.values().removeIf(at -> at <= upTo);
    }

    /**
     * A full read of the store begins, at revision {@code revision} or later. A key it returns may
     * have been deleted since, at a revision the watch brings before the read is merged: that
     * delete's record must outlive the merge, or the merge would bring the key back (a pod deleted
     * from the view until the next resync).
     */
    void readStarts(long revision) {
        readingFrom = revision;
    }

    /** The read of {@link #readStarts} was merged, or failed. */
    void readEnds() {
        readingFrom = Long.MAX_VALUE;
    }

    private void put(KeyValue kv) {
        var now = keys.get(kv.key());
        Long deleted = deletedAt.get(kv.key());
        if ((now != null && now.modRevision() >= kv.modRevision()) || (deleted != null && deleted >= kv.modRevision())) {
            return;
        }
        keys.put(kv.key(), kv);
        deletedAt.remove(kv.key());
        changed(kv.key());
    }

    private void delete(String key, long revision) {
        var now = keys.get(key);
        if (now != null && now.modRevision() > revision) {
            return;
        }
        if (keys.remove(key) != null) {
            changed(key);
        }
        deletedAt.merge(key, revision, Math::max);
    }

    /** Called with the lock held, after the change. */
    private void changed(String key) {
        changes++;
        ranges.keySet().removeIf(key::startsWith);
    }
}
