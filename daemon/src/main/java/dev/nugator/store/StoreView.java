package dev.nugator.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store whose keys under one prefix (nugator's root) are read from memory: read once, then kept
 * current by one watch, with the revision that watch has brought it to. Reads of those keys never
 * go to the store behind it; writes do, and what a successful transaction wrote is applied here at
 * once (a node reads its own writes). Each key keeps its mod revision, and a deleted key its
 * delete's revision for a while, so a late event never undoes a newer state, whichever came first.
 *
 * <p>Decisions that must be fresh stay transactions that compare revisions: when one fails, the
 * keys it compared are read again from the store, so a retry does not fail on the same stale copy.
 * {@link #refresh} reads everything again and says what the view had missed (the resync's pass
 * compares it with the store so; and after a watch the store ended);
 * {@link #awaitRevision} lets a caller wait until what others wrote before its own write is here.
 *
 * <p>The view's watchers get the events on a thread of their own, after the view took them in, so
 * that a watcher that waits (the reconciler, for a link an ADD holds) never holds the view back: an
 * ADD may hold its links' locks while it waits for the view to catch up.
 */
public final class StoreView implements KvStore {
    private static final Logger log = LoggerFactory.getLogger(StoreView.class);
    private final KvStore backing;
    private final String prefix;
    private final ViewKeys keys = new ViewKeys();
    private final List<ViewWatch> subscribers = new CopyOnWriteArrayList<>();
    /** The revision the view has been brought to (a full read, then the watch). */
    private volatile long applied;
    private volatile boolean ready;
    private volatile Watch watch;
    /** Events taken in, in order, for the watchers; their thread starts with the first watch on the store. */
    private final LinkedBlockingQueue<List<WatchEvent>> deliveries = new LinkedBlockingQueue<>();
    private Thread deliverer;

    private StoreView(KvStore backing, String prefix) {
        this.backing = backing;
        this.prefix = prefix;
    }

    /** A view of {@code prefix} in {@code backing}; it reads and starts watching at the first {@link #refresh}. */
    public static StoreView over(KvStore backing, String prefix) {
        return new StoreView(backing, prefix);
    }

    /**
     * Reads every key under the prefix again and merges it in, and (re)starts the watch if there is
     * none running. Throws StoreUnavailableException when the store does not answer; reads then go
     * to the store itself until a refresh succeeds.
     */
    @Override
    public synchronized void refresh() {
        if (watch != null && watch.ended()) {
            log.warn("the store ended its watch; the view reads everything again and watches anew");
            watch.close();
            watch = null;
            subscribers.forEach(ViewWatch::end);
        }
        long before = backing.revision();
        int missed;
        keys.readStarts(before);
        try {
            missed = keys.merge(backing.range(prefix), before, ready ? applied : 0);
        } finally {
            keys.readEnds();
        }
        if (missed > 0) {
            log.warn("the view of the store had missed {} change(s) up to revision {}; they are read in now", missed, applied);
        }
        applied = Math.max(applied, before);
        ready = true;
        if (watch == null) {
            watch = backing.watch(prefix, before, this::onEvents);
        }
        if (deliverer == null) {
            deliverer = Thread.ofPlatform().daemon().name("nugatord-view-watchers").start(this::deliver);
        }
    }

    private void deliver() {
        while (true) {
            List<WatchEvent> events;
            try {
                events = deliveries.take();
            } catch (InterruptedException closed) {
                return;
            }
            for (var subscriber : subscribers) {
                try {
                    subscriber.deliver(events);
                } catch (RuntimeException e) {
                    log.warn("a watcher of the store failed on a change: {}", e.toString(), e);
                }
            }
        }
    }

    private void onEvents(List<WatchEvent> events) {
        long last = applied;
        for (var event : events) {
            keys.apply(event);
            last = Math.max(last, event.kv().modRevision());
        }
        applied = last;
        keys.forgetTombstonesUpTo(last);
        synchronized (this) {
            notifyAll();
        }
        deliveries.add(events);
    }

    @Override
    public void awaitRevision(long revision, Duration limit) {
        long until = System.nanoTime() + limit.toNanos();
        synchronized (this) {
            while (ready && applied < revision && watch != null && !watch.ended()) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    log.debug("the view is at revision {}, not yet {}: reading on", applied, revision);
                    return;
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private boolean serves(String key) {
        return ready && key.startsWith(prefix);
    }

    @Override
    public Optional<KeyValue> get(String key) {
        return serves(key) ? keys.get(key) : backing.get(key);
    }

    @Override
    public List<KeyValue> range(String rangePrefix) {
        return serves(rangePrefix) ? keys.range(rangePrefix) : backing.range(rangePrefix);
    }

    @Override
    public TxnResult txn(List<Compare> compares, List<Op> onSuccess, List<Op> onFailure) {
        if (onFailure.isEmpty()) {
            return txnReadingBack(compares, onSuccess);
        }
        var result = backing.txn(compares, onSuccess, onFailure);
        keys.wrote(result.succeeded() ? onSuccess : onFailure, result.revision());
        if (!result.succeeded()) {
            for (var compare : compares) {
                keys.reread(compare.key(), backing.get(compare.key()), result.revision());
            }
        }
        return result;
    }

    /** A failed transaction brings the keys it compared up to date here, read back in its own round trip where the store can. */
    @Override
    public TxnResult txnReadingBack(List<Compare> compares, List<Op> onSuccess) {
        var result = backing.txnReadingBack(compares, onSuccess);
        if (result.succeeded()) {
            keys.wrote(onSuccess, result.revision());
        } else {
            var read = new java.util.HashMap<String, KeyValue>();
            result.read().forEach(kv -> read.put(kv.key(), kv));
            for (var key : compares.stream().map(Compare::key).distinct().toList()) {
                keys.reread(key, Optional.ofNullable(read.get(key)), result.revision());
            }
        }
        return result;
    }

    @Override
    public KvStore direct() {
        return backing.direct();
    }

    @Override
    public long revision() {
        return ready ? applied : backing.revision();
    }

    /** A watch on the view: the events of the one watch on the store, after the view took them in. */
    @Override
    public Watch watch(String watchPrefix, long afterRevision, Consumer<List<WatchEvent>> listener) {
        if (!watchPrefix.startsWith(prefix)) {
            return backing.watch(watchPrefix, afterRevision, listener);
        }
        var subscriber = new ViewWatch(watchPrefix, afterRevision, listener, subscribers::remove, () -> {
            var current = watch;
            return current == null || current.ended();
        });
        subscribers.add(subscriber);
        return subscriber;
    }

    @Override
    public Registration keepAlive(String key, byte[] value, Duration ttl) {
        return backing.keepAlive(key, value, ttl);
    }

    @Override
    public Optional<String> unavailableReason() {
        return backing.unavailableReason();
    }

    @Override
    public synchronized void close() {
        if (watch != null) {
            watch.close();
        }
        if (deliverer != null) {
            deliverer.interrupt();
        }
        backing.close();
    }

    @Override
    public String toString() {
        return backing + " (read from memory)";
    }
}
