package dev.nugator.store;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store of many nodes: an etcd v3 cluster through jetcd, over plain http for now (TLS with
 * client certificates comes with the {@code --etcd-*} flags). Revisions, compares and prefix ranges
 * are etcd's own, which the embedded store copies: one revision per transaction that changes
 * something, {@code Compare.ModRevision(key, 0)} holds for an absent key.
 *
 * <p>Every call has a deadline ({@link #DEADLINE}); a call that misses it, or that fails because no
 * member answers, throws {@link StoreUnavailableException} naming the endpoints.
 *
 * <p>Watches: jetcd calls back on its own I/O thread (the gRPC transport's event loop), where a
 * listener must never block, and a listener here may well call the store. So each watch hands its
 * responses, in the order jetcd received them (which is revision order), to one thread of its own
 * that calls the listener; a slow listener delays only its own watch.
 */
public final class EtcdKvStore implements KvStore {
    static final Duration DEADLINE = Duration.ofSeconds(5);
    static final Duration HEALTH_DEADLINE = Duration.ofSeconds(2);
    private static final Duration WATCH_STOP_TIMEOUT = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(EtcdKvStore.class);
    /** etcd refuses an empty key; "\0" up to range end "\0" is etcd's way of saying every key. */
    private static final ByteSequence ZERO = ByteSequence.from(new byte[] {0});

    private final List<EtcdEndpoint> endpoints;
    private final String name;
    private final Client client;
    private final KV kv;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EtcdKvStore(List<EtcdEndpoint> endpoints, Client client) {
        this.endpoints = List.copyOf(endpoints);
        this.name = "etcd://" + String.join(",", endpoints.stream().map(EtcdEndpoint::authority).toList());
        this.client = client;
        this.kv = client.getKVClient();
    }

    /** Connects lazily: opening never fails for an unreachable cluster, the first call does. */
    public static EtcdKvStore open(List<EtcdEndpoint> endpoints) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("the etcd store needs at least one endpoint");
        }
        Client client = Client.builder()
                .target(target(endpoints))
                .connectTimeout(DEADLINE)
                .retryMaxDuration(DEADLINE)
                .build();
        return new EtcdKvStore(endpoints, client);
    }

    /**
     * jetcd's own {@code ip:///host:port,...} target, written here because jetcd puts IPv6 brackets
     * raw into the target, which gRPC refuses to parse as a URI; percent-encoded, they are decoded
     * back before jetcd's resolver reads the list.
     */
    static String target(List<EtcdEndpoint> endpoints) {
        return "ip:///" + String.join(",", endpoints.stream()
                .map(e -> e.authority().replace("[", "%5B").replace("]", "%5D")).toList());
    }

    @Override
    public Optional<KeyValue> get(String key) {
        GetResponse response = call("read " + key, kv.get(bytes(key)), DEADLINE);
        return response.getKvs().stream().findFirst().map(EtcdKvStore::keyValue);
    }

    @Override
    public List<KeyValue> range(String prefix) {
        var keys = KeyRange.of(prefix);
        GetOption option = GetOption.builder()
                .withSortField(GetOption.SortTarget.KEY)
                .withSortOrder(GetOption.SortOrder.ASCEND)
                .withRange(keys.end())
                .build();
        GetResponse response = call("read the keys under " + prefix, kv.get(keys.start(), option), DEADLINE);
        return response.getKvs().stream().map(EtcdKvStore::keyValue).toList();
    }

    @Override
    public TxnResult txn(List<Compare> compares, List<Op> onSuccess, List<Op> onFailure) {
        TxnChecks.requireNoOverlap(onSuccess);
        TxnChecks.requireNoOverlap(onFailure);
        requireOpen();
        TxnResponse response = call("write", kv.txn()
                .If(compares.stream().map(EtcdKvStore::cmp).toArray(Cmp[]::new))
                .Then(onSuccess.stream().map(EtcdKvStore::op).toArray(io.etcd.jetcd.op.Op[]::new))
                .Else(onFailure.stream().map(EtcdKvStore::op).toArray(io.etcd.jetcd.op.Op[]::new))
                .commit(), DEADLINE);
        return new TxnResult(response.isSucceeded(), response.getHeader().getRevision());
    }

    @Override
    public long revision() {
        GetResponse response = call("read the revision", kv.get(ZERO, GetOption.builder().withCountOnly(true).build()), DEADLINE);
        return response.getHeader().getRevision();
    }

    /**
     * Watches {@code prefix} from {@code afterRevision + 1}. A start revision etcd has already
     * compacted is refused here with {@link IllegalArgumentException}, as the embedded store does, so
     * that the caller lists again; should the cluster compact it in the instant between that check
     * and the watch's creation, the watch stops and says so in the log.
     */
    @Override
    public Watch watch(String prefix, long afterRevision, Consumer<List<WatchEvent>> listener) {
        requireOpen();
        requireNotCompacted(afterRevision);
        var keys = KeyRange.of(prefix);
        WatchOption.Builder option = WatchOption.builder().withRevision(afterRevision + 1).withPrevKV(false).withRange(keys.end());
        ByteSequence key = keys.start();
        ExecutorService delivery = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("etcd-watch " + prefix).factory());
        var stopped = new AtomicBoolean();
        io.etcd.jetcd.Watch.Listener jetcdListener = io.etcd.jetcd.Watch.listener(
                response -> deliver(response, delivery, stopped, listener, prefix),
                error -> {
                    if (!stopped.get()) {
                        log.warn("{}: the watch on '{}' after revision {} stopped: {}", name, prefix, afterRevision, error.toString());
                    }
                },
                () -> {});
        io.etcd.jetcd.Watch.Watcher watcher;
        try {
            watcher = client.getWatchClient().watch(key, option.build(), jetcdListener);
        } catch (RuntimeException e) {
            delivery.shutdownNow();
            throw unavailable("watch " + prefix, e);
        }
        return () -> {
            if (!stopped.compareAndSet(false, true)) {
                return;
            }
            watcher.close();
            delivery.shutdown();
            try {
                if (!delivery.awaitTermination(WATCH_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("{}: the listener of the watch on '{}' did not return within {} s", name, prefix, WATCH_STOP_TIMEOUT.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** Asks the cluster, with a short deadline: a read that a majority must serve (etcd reads are linearizable). */
    @Override
    public Optional<String> unavailableReason() {
        if (closed.get()) {
            return Optional.of(name + ": the store is closed");
        }
        try {
            call("check the cluster", kv.get(ZERO, GetOption.builder().withCountOnly(true).build()), HEALTH_DEADLINE);
            return Optional.empty();
        } catch (StoreUnavailableException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return name;
    }

    List<EtcdEndpoint> endpoints() {
        return endpoints;
    }

    private void deliver(WatchResponse response, ExecutorService delivery, AtomicBoolean stopped,
                         Consumer<List<WatchEvent>> listener, String prefix) {
        var events = new ArrayList<WatchEvent>();
        for (io.etcd.jetcd.watch.WatchEvent event : response.getEvents()) {
            events.add(watchEvent(event));
        }
        if (events.isEmpty() || stopped.get()) {
            return;
        }
        // one response may span several revisions; the listener gets one call per revision, in order
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
        try {
            delivery.execute(() -> {
                for (List<WatchEvent> revision : batches) {
                    if (stopped.get()) {
                        return;
                    }
                    try {
                        listener.accept(revision);
                    } catch (RuntimeException e) {
                        log.warn("{}: the listener of the watch on '{}' failed: {}", name, prefix, e.toString(), e);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the watch is closing
        }
    }

    private void requireNotCompacted(long afterRevision) {
        if (afterRevision < 0) {
            throw new IllegalArgumentException("cannot watch from revision " + afterRevision + ": revisions start at 0");
        }
        long current = revision();
        if (afterRevision + 1 > current) {
            return;
        }
        try {
            call("check that revision " + (afterRevision + 1) + " is kept",
                    kv.get(ZERO, GetOption.builder().withCountOnly(true).withRevision(afterRevision + 1).build()), DEADLINE);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot watch from revision " + afterRevision + ": " + name
                    + " has compacted it (" + e.getMessage() + "); read revision(), list the keys again and watch after that revision", e);
        }
    }

    private <T> T call(String action, CompletableFuture<T> future, Duration deadline) {
        requireOpen();
        try {
            return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new StoreUnavailableException(name + ": cannot " + action + ": no answer within " + deadline.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException(name + ": interrupted while waiting to " + action, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (refused(cause)) {
                throw new IllegalArgumentException(name + ": cannot " + action + ": " + cause.getMessage(), cause);
            }
            throw unavailable(action, cause);
        }
    }

    /** What etcd refuses for good (a bad request, a compacted revision) as opposed to what may work later. */
    private static boolean refused(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof io.grpc.StatusRuntimeException status) {
                var code = status.getStatus().getCode();
                return code == io.grpc.Status.Code.INVALID_ARGUMENT || code == io.grpc.Status.Code.OUT_OF_RANGE;
            }
            if (t instanceof io.etcd.jetcd.common.exception.EtcdException etcd) {
                var code = etcd.getErrorCode();
                return code == io.etcd.jetcd.common.exception.ErrorCode.INVALID_ARGUMENT
                        || code == io.etcd.jetcd.common.exception.ErrorCode.OUT_OF_RANGE;
            }
        }
        return false;
    }

    private StoreUnavailableException unavailable(String action, Throwable cause) {
        return new StoreUnavailableException(name + ": cannot " + action + ": " + cause.getMessage(), cause);
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new StoreUnavailableException(name + ": the store is closed", null);
        }
    }

    private static Cmp cmp(Compare compare) {
        ByteSequence key = bytes(compare.key());
        return switch (compare) {
            case Compare.ModRevision mod -> new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(mod.expected()));
            case Compare.Exists ignored -> new Cmp(key, Cmp.Op.GREATER, CmpTarget.createRevision(0));
            case Compare.Absent ignored -> new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0));
        };
    }

    private static io.etcd.jetcd.op.Op op(Op op) {
        return switch (op) {
            case Op.Put put -> io.etcd.jetcd.op.Op.put(bytes(put.key()), ByteSequence.from(put.value().clone()), PutOption.DEFAULT);
            case Op.Delete delete -> io.etcd.jetcd.op.Op.delete(bytes(delete.key()), DeleteOption.DEFAULT);
            case Op.DeletePrefix prefix -> {
                var keys = KeyRange.of(prefix.prefix());
                yield io.etcd.jetcd.op.Op.delete(keys.start(), DeleteOption.builder().withRange(keys.end()).build());
            }
        };
    }

    private static WatchEvent watchEvent(io.etcd.jetcd.watch.WatchEvent event) {
        var kv = event.getKeyValue();
        return switch (event.getEventType()) {
            case PUT -> new WatchEvent(WatchEvent.Type.PUT, keyValue(kv));
            case DELETE -> new WatchEvent(WatchEvent.Type.DELETE,
                    new KeyValue(kv.getKey().toString(), new byte[0], 0, kv.getModRevision()));
            case UNRECOGNIZED -> throw new IllegalStateException("unrecognized watch event for " + kv.getKey());
        };
    }

    private static KeyValue keyValue(io.etcd.jetcd.KeyValue kv) {
        return new KeyValue(kv.getKey().toString(), kv.getValue().getBytes(), kv.getCreateRevision(), kv.getModRevision());
    }

    private static ByteSequence bytes(String key) {
        return ByteSequence.from(key, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The keys under a prefix as etcd ranges them, [start, end): the empty prefix is every key,
     * which etcd spells "\0" to "\0" because it refuses an empty key.
     */
    private record KeyRange(ByteSequence start, ByteSequence end) {
        static KeyRange of(String prefix) {
            if (prefix.isEmpty()) {
                return new KeyRange(ZERO, ZERO);
            }
            var start = bytes(prefix);
            return new KeyRange(start, io.etcd.jetcd.options.OptionsUtil.prefixEndOf(start));
        }
    }
}
