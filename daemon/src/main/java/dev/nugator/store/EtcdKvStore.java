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
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The store of many nodes: an etcd v3 cluster through jetcd, over plain http or over TLS
 * ({@link EtcdTls}). Revisions, compares and prefix ranges are etcd's own, which the embedded store
 * copies: one revision per transaction that changes something, {@code Compare.ModRevision(key, 0)}
 * holds for an absent key.
 *
 * <p>Every call has a deadline ({@link #DEADLINE}); a call that misses it, or that fails because no
 * member answers, throws {@link StoreUnavailableException} naming the endpoints and saying why
 * (connection refused, a certificate refused by either side: see {@link EtcdFailure}). Calls do not
 * wait for a connection to become ready: they fail with the connection's reason, and jetcd retries
 * them within {@link #RETRY_BUDGET}, shorter than the deadline so that the reason arrives before it.
 *
 * <p>Watches: see {@link EtcdWatch}; kept-alive keys: see {@link EtcdLeaseKeeper}.
 */
public final class EtcdKvStore implements KvStore {
    static final Duration DEADLINE = Duration.ofSeconds(5);
    static final Duration HEALTH_DEADLINE = Duration.ofSeconds(2);
    static final Duration RETRY_BUDGET = DEADLINE.minusSeconds(1);
    /** etcd refuses an empty key; "\0" up to range end "\0" is etcd's way of saying every key. */
    private static final ByteSequence ZERO = ByteSequence.from(new byte[] {0});

    private final List<EtcdEndpoint> endpoints;
    private final String name;
    private final Client client;
    private final KV kv;
    private final EtcdCalls calls;
    private final Set<EtcdLeaseKeeper> keepers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private EtcdKvStore(List<EtcdEndpoint> endpoints, Optional<EtcdTls> tls, Client client, LastCallFailure lastFailure) {
        this.endpoints = List.copyOf(endpoints);
        this.name = name(endpoints, tls.isPresent());
        this.client = client;
        this.kv = client.getKVClient();
        this.calls = new EtcdCalls(name, tls, lastFailure, closed::get, new ReconnectNudge(client)::nudge);
    }

    /** Connects lazily: opening never fails for an unreachable cluster, the first call does. */
    public static EtcdKvStore open(List<EtcdEndpoint> endpoints) {
        return open(endpoints, Optional.empty());
    }

    /**
     * Like {@link #open(List)}, over TLS when {@code tls} is given. Problems with the certificate
     * files fail here ({@link IllegalArgumentException} naming the option); a handshake that either
     * side refuses fails each call, saying which side refused what.
     */
    public static EtcdKvStore open(List<EtcdEndpoint> endpoints, Optional<EtcdTls> tls) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("the etcd store needs at least one endpoint");
        }
        var lastFailure = new LastCallFailure();
        var builder = Client.builder()
                .target(target(endpoints))
                .connectTimeout(DEADLINE)
                .retryMaxDuration(RETRY_BUDGET)
                .waitForReady(false)
                .interceptor(lastFailure);
        tls.ifPresent(t -> builder.sslContext(t.sslContext()));
        return new EtcdKvStore(endpoints, tls, builder.build(), lastFailure);
    }

    /** How the store shows in logs and errors: {@code etcd://} or, over TLS, {@code etcd+tls://} and the endpoints. */
    static String name(List<EtcdEndpoint> endpoints, boolean tls) {
        return (tls ? "etcd+tls://" : "etcd://") + String.join(",", endpoints.stream().map(EtcdEndpoint::authority).toList());
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

    /** One round trip: the compared keys are read in the transaction's failure branch. */
    @Override
    public TxnResult txnReadingBack(List<Compare> compares, List<Op> onSuccess) {
        TxnChecks.requireNoOverlap(onSuccess);
        requireOpen();
        TxnResponse response = call("write", kv.txn()
                .If(compares.stream().map(EtcdKvStore::cmp).toArray(Cmp[]::new))
                .Then(onSuccess.stream().map(EtcdKvStore::op).toArray(io.etcd.jetcd.op.Op[]::new))
                .Else(compares.stream().map(Compare::key).distinct()
                        .map(key -> io.etcd.jetcd.op.Op.get(bytes(key), GetOption.DEFAULT)).toArray(io.etcd.jetcd.op.Op[]::new))
                .commit(), DEADLINE);
        if (response.isSucceeded()) {
            return new TxnResult(true, response.getHeader().getRevision());
        }
        var read = response.getGetResponses().stream().flatMap(r -> r.getKvs().stream()).map(EtcdKvStore::keyValue).toList();
        return new TxnResult(false, response.getHeader().getRevision(), read);
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
        WatchOption option = WatchOption.builder().withRevision(afterRevision + 1).withPrevKV(false).withRange(keys.end()).build();
        String watchName = name + ": the watch on '" + prefix + "' after revision " + afterRevision;
        return EtcdWatch.start(client.getWatchClient(), keys.start(), option, calls, watchName, listener);
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

    /**
     * Writes {@code key} under a lease of {@code ttl} (whole seconds, at least 1; etcd may raise a
     * short one to its minimum, about 2 s) and renews it every third of the TTL from a thread of its
     * own: see {@link EtcdLeaseKeeper}. Never fails because etcd is unreachable: the keeper goes on
     * trying, and {@link Registration#isLive} says whether the key is there.
     */
    @Override
    public Registration keepAlive(String key, byte[] value, Duration ttl) {
        requireNotClosing();
        var keeper = EtcdLeaseKeeper.start(client.getLeaseClient(), kv, calls, name, key, value, ttl, keepers::remove);
        keepers.add(keeper);
        if (closing.get()) {
            keeper.close();
            requireNotClosing();
        }
        return keeper;
    }

    /** Ends the registrations first (their keys are deleted while the client still works). */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        for (EtcdLeaseKeeper keeper : List.copyOf(keepers)) {
            keeper.close();
        }
        closed.set(true);
        client.close();
    }

    @Override
    public String toString() {
        return name;
    }

    List<EtcdEndpoint> endpoints() {
        return endpoints;
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
        return calls.await(action, future, deadline);
    }

    private void requireOpen() {
        calls.requireOpen();
    }

    private void requireNotClosing() {
        if (closing.get()) {
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

    static KeyValue keyValue(io.etcd.jetcd.KeyValue kv) {
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
