package dev.nugator.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch: the changes of each revision under its prefix wait in an unbounded queue, so a
 * writer never waits for a listener, and a virtual thread of its own hands them to the listener
 * in revision order. A failing listener is logged and keeps receiving later changes: one bad
 * event must not silently end a watch the reconciler depends on.
 */
final class WatchWorker implements Watch {
    private static final Logger log = LoggerFactory.getLogger(WatchWorker.class);
    private static final List<WatchEvent> STOP = Collections.unmodifiableList(new ArrayList<>());

    private final String prefix;
    private final long afterRevision;
    private final Consumer<List<WatchEvent>> listener;
    private final Consumer<WatchWorker> onClose;
    private final LinkedBlockingQueue<List<WatchEvent>> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread thread;

    WatchWorker(String prefix, long afterRevision, Consumer<List<WatchEvent>> listener, Consumer<WatchWorker> onClose) {
        this.prefix = prefix;
        this.afterRevision = afterRevision;
        this.listener = listener;
        this.onClose = onClose;
        this.thread = Thread.ofVirtual().name("store-watch " + prefix).unstarted(this::run);
    }

    /** Queues the changes of one revision that concern this watch; never blocks. */
    void offer(long revision, List<WatchEvent> events) {
        if (revision <= afterRevision || closed.get()) {
            return;
        }
        List<WatchEvent> mine = events.stream().filter(event -> event.kv().key().startsWith(prefix)).toList();
        if (!mine.isEmpty()) {
            queue.add(mine);
        }
    }

    void start() {
        thread.start();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            queue.add(STOP);
            onClose.accept(this);
        }
    }

    /** Waits for a delivery in progress to end; a listener closing its own watch does not wait for itself. */
    void awaitStop(Duration timeout) throws InterruptedException {
        if (Thread.currentThread() != thread && !thread.join(timeout)) {
            log.warn("watch on '{}': its listener is still running {} ms after the store closed", prefix, timeout.toMillis());
        }
    }

    private void run() {
        try {
            for (List<WatchEvent> events = queue.take(); events != STOP && !closed.get(); events = queue.take()) {
                deliver(events);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(List<WatchEvent> events) {
        try {
            listener.accept(events);
        } catch (RuntimeException e) {
            log.warn("watch on '{}': the listener failed on the changes of revision {}; later changes are still delivered",
                    prefix, events.getFirst().kv().modRevision(), e);
        }
    }
}
