package dev.nugator.store;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one key in etcd for as long as this process wants it there and no longer: the key is bound
 * to a lease, renewed every third of its TTL, so a process killed with -9 loses its key within one
 * TTL while a live one keeps it through short outages.
 *
 * <p>Renewal is one {@code keepAliveOnce} per period, each with a deadline, on a platform thread of
 * the keeper's own, rather than jetcd's streaming keep-alive: that stream gives up for good on some
 * errors and would need watching itself, whereas a call that fails here is simply made again next
 * period. When etcd answers that it no longer knows the lease (it expired while etcd could not be
 * reached, or someone revoked it), the keeper grants a new lease and writes the key again at once,
 * so the key returns within about a third of the TTL of etcd coming back.
 */
final class EtcdLeaseKeeper implements Registration {
    private static final Logger log = LoggerFactory.getLogger(EtcdLeaseKeeper.class);
    private static final Duration MIN_TTL = Duration.ofSeconds(1);

    private final Lease leases;
    private final KV kv;
    private final EtcdCalls calls;
    private final String store;
    private final String key;
    private final ByteSequence keyBytes;
    private final ByteSequence value;
    private final long ttlSeconds;
    private final Duration period;
    private final Duration deadline;
    private final Consumer<EtcdLeaseKeeper> onEnd;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Thread thread;
    /** The lease the key is bound to, 0 while there is none; written by the keeper thread, or by the starter before it runs. */
    private volatile long leaseId;
    /** Until when ({@link System#nanoTime}) etcd last promised to keep the lease. */
    private volatile long liveUntil;
    private boolean failing;

    private EtcdLeaseKeeper(Lease leases, KV kv, EtcdCalls calls, String store, String key, byte[] value, Duration ttl,
                            Consumer<EtcdLeaseKeeper> onEnd) {
        this.leases = leases;
        this.kv = kv;
        this.calls = calls;
        this.store = store;
        this.key = key;
        this.keyBytes = ByteSequence.from(key, StandardCharsets.UTF_8);
        this.value = ByteSequence.from(value.clone());
        this.ttlSeconds = (ttl.toMillis() + 999) / 1000;
        this.period = Duration.ofSeconds(ttlSeconds).dividedBy(3);
        this.deadline = period.compareTo(EtcdKvStore.DEADLINE) < 0 ? period : EtcdKvStore.DEADLINE;
        this.onEnd = onEnd;
        this.thread = Thread.ofPlatform().daemon().name("etcd-lease " + key).unstarted(this::run);
    }

    /** Registers once before returning (so that with etcd up the key is there), then keeps renewing in the background. */
    static EtcdLeaseKeeper start(Lease leases, KV kv, EtcdCalls calls, String store, String key, byte[] value, Duration ttl,
                                 Consumer<EtcdLeaseKeeper> onEnd) {
        requireKeepable(key, ttl);
        var keeper = new EtcdLeaseKeeper(leases, kv, calls, store, key, value, ttl, onEnd);
        keeper.refresh();
        keeper.thread.start();
        return keeper;
    }

    /** etcd's rules for a leased key; the embedded store applies them too, so that a caller that works with one works with the other. */
    static void requireKeepable(String key, Duration ttl) {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("cannot keep an empty key alive");
        }
        if (ttl.compareTo(MIN_TTL) < 0) {
            throw new IllegalArgumentException("the TTL of " + key + " must be at least " + MIN_TTL.toSeconds() + " s, got "
                    + ttl.toMillis() + " ms");
        }
    }

    @Override
    public boolean isLive() {
        return !ended.get() && leaseId != 0 && System.nanoTime() - liveUntil < 0;
    }

    /** Stops renewing and revokes the lease, which deletes the key; if etcd cannot be reached, the key expires with its TTL. */
    @Override
    public void close() {
        if (!end()) {
            return;
        }
        long lease = leaseId;
        leaseId = 0;
        if (lease == 0) {
            return;
        }
        try {
            calls.await("revoke the lease of " + key, leases.revoke(lease), EtcdKvStore.DEADLINE);
        } catch (StoreUnavailableException | IllegalArgumentException e) {
            if (!EtcdFailure.leaseNotFound(e.getCause())) {
                log.warn("{}: cannot delete {} now; it goes when its lease expires within {} s: {}", store, key, ttlSeconds, e.getMessage());
            }
        }
    }

    /** For tests: stops renewing without revoking, as a process killed with -9 would; the key expires with its lease. */
    void abandon() {
        end();
    }

    long leaseId() {
        return leaseId;
    }

    @Override
    public String toString() {
        return store + " " + key + " (lease TTL " + ttlSeconds + " s)";
    }

    /** Stops the thread without interrupting a call in flight: a grant cut short would leave a lease we do not know about. */
    private boolean end() {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        stop.countDown();
        if (Thread.currentThread() != thread) {
            try {
                if (!thread.join(deadline.multipliedBy(2).plus(period))) {
                    log.warn("{}: the renewal thread of {} did not stop in time", store, key);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        onEnd.accept(this);
        return true;
    }

    private void run() {
        long next = System.nanoTime() + period.toNanos();
        while (!stopped(next)) {
            next = System.nanoTime() + period.toNanos();
            refresh();
        }
    }

    private boolean stopped(long untilNanos) {
        try {
            return stop.await(Math.max(0, untilNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            return true;
        }
    }

    private void refresh() {
        try {
            if (leaseId == 0 || !renewed()) {
                register();
            }
            if (failing) {
                log.info("{}: {} is registered again", store, key);
                failing = false;
            }
        } catch (StoreUnavailableException | IllegalArgumentException e) {
            if (!failing) {
                log.warn("{} is not kept registered now, trying again every {} ms: {}", key, period.toMillis(), e.getMessage());
                failing = true;
            } else {
                log.debug("{} is still not kept registered: {}", key, e.getMessage());
            }
        }
    }

    /** False when etcd no longer knows the lease; then the key is gone with it. */
    private boolean renewed() {
        long started = System.nanoTime();
        try {
            LeaseKeepAliveResponse response = calls.await("renew the lease of " + key, leases.keepAliveOnce(leaseId), deadline);
            liveUntil = started + TimeUnit.SECONDS.toNanos(response.getTTL());
            return true;
        } catch (StoreUnavailableException e) {
            if (!EtcdFailure.leaseNotFound(e.getCause())) {
                throw e;
            }
            log.info("{}: the lease of {} expired; writing it again under a new lease", store, key);
            leaseId = 0;
            return false;
        }
    }

    /** A new lease, then the key under it; a put that fails leaves a lease that simply expires. */
    private void register() {
        long started = System.nanoTime();
        LeaseGrantResponse grant = calls.await("grant a lease for " + key, leases.grant(ttlSeconds), deadline);
        calls.await("write " + key, kv.put(keyBytes, value, PutOption.builder().withLeaseId(grant.getID()).build()), deadline);
        liveUntil = started + TimeUnit.SECONDS.toNanos(grant.getTTL());
        leaseId = grant.getID();
    }
}
