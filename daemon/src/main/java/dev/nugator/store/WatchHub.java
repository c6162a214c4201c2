package dev.nugator.store;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Fans the changes of each committed revision out to the watches, and keeps the most recent ones
 * (a bounded number of events) so that a watch can start from a revision in the recent past, as
 * an etcd watch does. Older changes are forgotten: the revision up to which they are gone is the
 * compacted revision, and a watch asking for them is refused so that its caller lists again.
 * The store publishes in revision order; one lock orders publishing and registering, so a new
 * watch misses no revision and sees none twice.
 */
final class WatchHub {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

    private record Batch(long revision, List<WatchEvent> events) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Batch> history = new ArrayDeque<>();
    private final Set<WatchWorker> workers = new LinkedHashSet<>();
    private final int historyLimit;
    private int historyEvents;
    private long compacted;
    private boolean closed;

    /** {@code revision}: the store's revision now; nothing before it is known (a fresh process has no history). */
    WatchHub(long revision, int historyLimit) {
        this.compacted = revision;
        this.historyLimit = historyLimit;
    }

    void publish(long revision, List<WatchEvent> events) {
        lock.lock();
        try {
            remember(new Batch(revision, events));
            workers.forEach(worker -> worker.offer(revision, events));
        } finally {
            lock.unlock();
        }
    }

    Watch watch(String prefix, long afterRevision, Consumer<List<WatchEvent>> listener) {
        WatchWorker worker;
        lock.lock();
        try {
            requireKnown(afterRevision);
            worker = new WatchWorker(prefix, afterRevision, listener, this::forget);
            history.forEach(batch -> worker.offer(batch.revision(), batch.events()));
            workers.add(worker);
        } finally {
            lock.unlock();
        }
        worker.start();
        return worker;
    }

    /** Stops every watch and waits briefly for deliveries in progress. */
    void close() throws InterruptedException {
        List<WatchWorker> running;
        lock.lock();
        try {
            closed = true;
            running = new ArrayList<>(workers);
        } finally {
            lock.unlock();
        }
        for (WatchWorker worker : running) {
            worker.close();
            worker.awaitStop(STOP_TIMEOUT);
        }
    }

    private void requireKnown(long afterRevision) {
        if (closed) {
            throw new IllegalStateException("the store is closed");
        }
        if (afterRevision < compacted) {
            throw new IllegalArgumentException("cannot watch from revision " + afterRevision + ": the store keeps changes after revision "
                    + compacted + " only (older ones are compacted); read revision(), list the keys again and watch after that revision");
        }
    }

    private void remember(Batch batch) {
        history.addLast(batch);
        historyEvents += batch.events().size();
        while (historyEvents > historyLimit) {
            Batch oldest = history.removeFirst();
            historyEvents -= oldest.events().size();
            compacted = oldest.revision();
        }
    }

    private void forget(WatchWorker worker) {
        lock.lock();
        try {
            workers.remove(worker);
        } finally {
            lock.unlock();
        }
    }
}
