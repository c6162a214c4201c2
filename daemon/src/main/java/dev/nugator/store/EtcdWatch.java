package dev.nugator.store;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.support.Errors;
import io.etcd.jetcd.watch.WatchResponse;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch of the etcd store. jetcd calls back on its own I/O thread (the gRPC transport's event
 * loop), where a listener must never block, and a listener here may well call the store. So the
 * responses, in the order jetcd received them (which is revision order), go to one thread of the
 * watch's own that calls the listener; a slow listener delays only its own watch.
 *
 * <p>While etcd cannot be reached, jetcd resumes the watch by itself from the last revision it
 * delivered, and reports each failed attempt (every half second) to the listener's error callback;
 * only the first of those is logged above debug.
 */
final class EtcdWatch implements Watch {
    private static final Logger log = LoggerFactory.getLogger(EtcdWatch.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

    private final String name;
    private final EtcdCalls calls;
    private final Consumer<List<WatchEvent>> listener;
    private final ExecutorService delivery;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private io.etcd.jetcd.Watch.Watcher watcher;

    private EtcdWatch(String name, EtcdCalls calls, Consumer<List<WatchEvent>> listener) {
        this.name = name;
        this.calls = calls;
        this.listener = listener;
        this.delivery = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("etcd-watch " + name).factory());
    }

    /** {@code name} says which store, prefix and revision, for the log. */
    static EtcdWatch start(io.etcd.jetcd.Watch client, ByteSequence key, WatchOption option, EtcdCalls calls, String name,
                           Consumer<List<WatchEvent>> listener) {
        var watch = new EtcdWatch(name, calls, listener);
        try {
            watch.watcher = client.watch(key, option, io.etcd.jetcd.Watch.listener(watch::received, watch::failed, () -> {}));
        } catch (RuntimeException e) {
            watch.delivery.shutdownNow();
            throw calls.unavailable("watch", e);
        }
        return watch;
    }

    @Override
    public void close() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        watcher.close();
        delivery.shutdown();
        try {
            if (!delivery.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{}: the listener did not return within {} s", name, STOP_TIMEOUT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void received(WatchResponse response) {
        if (interrupted.compareAndSet(true, false)) {
            log.info("{}: events flow again", name);
        }
        var events = new ArrayList<WatchEvent>();
        for (io.etcd.jetcd.watch.WatchEvent event : response.getEvents()) {
            events.add(watchEvent(event));
        }
        if (events.isEmpty() || stopped.get()) {
            return;
        }
        try {
            delivery.execute(() -> deliver(byRevision(events)));
        } catch (RejectedExecutionException e) {
            // the watch is closing
        }
    }

    private void deliver(List<List<WatchEvent>> revisions) {
        for (List<WatchEvent> revision : revisions) {
            if (stopped.get()) {
                return;
            }
            try {
                listener.accept(revision);
            } catch (RuntimeException e) {
                log.warn("{}: the listener failed: {}", name, e.toString(), e);
            }
        }
    }

    /** One response may span several revisions; the listener gets one call per revision, in order. */
    @Override
    public boolean ended() {
        return ended.get();
    }

    private static List<List<WatchEvent>> byRevision(List<WatchEvent> events) {
        var batches = new ArrayList<List<WatchEvent>>();
        List<WatchEvent> batch = new ArrayList<>();
        for (WatchEvent event : events) {
            if (!batch.isEmpty() && batch.getFirst().kv().modRevision() != event.kv().modRevision()) {
                batches.add(List.copyOf(batch));
                batch = new ArrayList<>();
            }
            batch.add(event);
        }
        batches.add(List.copyOf(batch));
        return batches;
    }

    private void failed(Throwable error) {
        if (stopped.get()) {
            return;
        }
        if (!resumable(error)) {
            ended.set(true);
            log.warn("{}: stopped: {}", name, calls.describe(error));
        } else if (interrupted.compareAndSet(false, true)) {
            log.info("{}: interrupted, resuming when etcd answers: {}", name, calls.describe(error));
        } else {
            log.debug("{}: still interrupted: {}", name, error.toString());
        }
    }

    /** jetcd's own rule for resuming a watch (WatchImpl.shouldReschedule), read from the EtcdException it hands the listener. */
    private static boolean resumable(Throwable error) {
        if (String.valueOf(error.getMessage()).contains(Errors.NO_LEADER_ERROR_MESSAGE)) {
            return false;
        }
        if (error instanceof EtcdException etcd) {
            return etcd.getErrorCode() == ErrorCode.UNAVAILABLE || etcd.getErrorCode() == ErrorCode.INTERNAL;
        }
        var code = Status.fromThrowable(error).getCode();
        return code == Status.Code.UNAVAILABLE || code == Status.Code.INTERNAL;
    }

    private static WatchEvent watchEvent(io.etcd.jetcd.watch.WatchEvent event) {
        var kv = event.getKeyValue();
        return switch (event.getEventType()) {
            case PUT -> new WatchEvent(WatchEvent.Type.PUT, EtcdKvStore.keyValue(kv));
            case DELETE -> new WatchEvent(WatchEvent.Type.DELETE,
                    new KeyValue(kv.getKey().toString(), new byte[0], 0, kv.getModRevision()));
            case UNRECOGNIZED -> throw new IllegalStateException("unrecognized watch event for " + kv.getKey());
        };
    }
}
