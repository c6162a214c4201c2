package dev.nugator.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.pairing.LinkRegistry;
import dev.nugator.pairing.PodAttachment;
import dev.nugator.store.Compare;
import dev.nugator.store.EmbeddedKvStore;
import dev.nugator.store.KeyValue;
import dev.nugator.store.KvStore;
import dev.nugator.store.Op;
import dev.nugator.store.Registration;
import dev.nugator.store.TxnResult;
import dev.nugator.store.Watch;
import dev.nugator.store.WatchEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconciler over a real embedded store and a kernel in memory: what no watch event announces is caught by the resync. */
class ReconcilerTest {
    @TempDir Path dir;

    /** The embedded store, whose watches can be ended as etcd ends one it will not resume. */
    static final class EndableStore implements KvStore {
        final EmbeddedKvStore store;
        final List<EndableWatch> watches = new CopyOnWriteArrayList<>();

        EndableStore(EmbeddedKvStore store) {
            this.store = store;
        }

        @Override public Optional<KeyValue> get(String key) { return store.get(key); }
        @Override public List<KeyValue> range(String prefix) { return store.range(prefix); }
        @Override public TxnResult txn(List<Compare> c, List<Op> s, List<Op> f) { return store.txn(c, s, f); }
        @Override public long revision() { return store.revision(); }
        @Override public Registration keepAlive(String key, byte[] value, Duration ttl) { return store.keepAlive(key, value, ttl); }
        @Override public Optional<String> unavailableReason() { return store.unavailableReason(); }
        @Override public void close() { store.close(); }

        @Override
        public Watch watch(String prefix, long afterRevision, Consumer<List<WatchEvent>> listener) {
            var watch = new EndableWatch();
            watch.inner = store.watch(prefix, afterRevision, events -> {
                if (!watch.ended) {
                    listener.accept(events);
                }
            });
            watches.add(watch);
            return watch;
        }
    }

    static final class EndableWatch implements Watch {
        volatile boolean ended;
        Watch inner;

        @Override public boolean ended() { return ended; }
        @Override public void close() { inner.close(); }
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aWatchTheStoreEndedIsOpenedAnewAndAnEndDeletedByHandComesBack() throws Exception {
        try (var store = new EndableStore(EmbeddedKvStore.open(dir.resolve("store.db")))) {
            var registry = new LinkRegistry(store);
            var kernel = new FakeKernel();
            var engine = new LinkEngine(registry, kernel, "node1");
            // the resync forgets pods whose namespace file is gone: these stand in for /run/netns/...
            String netnsA = java.nio.file.Files.createFile(dir.resolve("a1")).toString();
            String netnsB = java.nio.file.Files.createFile(dir.resolve("b1")).toString();
            var endA = new Place.InPod(netnsA, "in1");
            var endB = new Place.InPod(netnsB, "in2");
            try (var reconciler = new Reconciler(registry, engine, Duration.ofSeconds(1))) {
                reconciler.start();
                registry.attach(new PodAttachment(VethReconcilerTest.IN1, "c1", netnsA, "node1"));
                registry.announce(VethReconcilerTest.LINK);
                await(() -> kernel.has(endA), "the announced link made by the watch");

                kernel.delete(endA);
                await(() -> kernel.has(endA), "the end deleted by hand made again by the resync");

                store.watches.getFirst().ended = true;
                await(() -> store.watches.size() == 2, "a new watch");
                registry.attach(new PodAttachment(VethReconcilerTest.IN2, "c2", netnsB, "node1"));
                await(() -> kernel.carrier(endB), "the peer's arrival seen through the new watch");
            }
        }
    }
}
