package dev.nugator.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.Client;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The etcd store against a real single-member etcd (Debian's etcd-server) on loopback, with the
 * behaviours of {@link EmbeddedKvStoreTest}. The member is shared by the tests, so each test works
 * under a prefix of its own and reads revisions relative to the one it started at.
 */
class EtcdKvStoreTest {
    @TempDir
    static Path dir;
    static EtcdMember etcd;
    static EtcdEndpoint endpoint;
    static EtcdKvStore store;

    String p;
    long base;

    @BeforeAll
    static void startEtcd() throws Exception {
        EtcdMember.assumeInstalled();
        etcd = EtcdMember.plain(dir);
        endpoint = etcd.endpoint();
        store = EtcdKvStore.open(List.of(endpoint));
        etcd.start(store);
    }

    @AfterAll
    static void stopEtcd() throws InterruptedException {
        try {
            if (store != null) {
                store.close();
            }
        } finally {
            if (etcd != null) {
                etcd.close();
            }
        }
    }

    @BeforeEach
    void prefix(TestInfo test) {
        p = "/test/" + test.getTestMethod().orElseThrow().getName() + "/";
        base = store.revision();
    }

    static int freePort() throws IOException {
        return EtcdMember.freePort();
    }

    static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    static List<String> keys(List<KeyValue> kvs) {
        return kvs.stream().map(KeyValue::key).toList();
    }

    @Test
    void aMissingKeyIsEmptyAndTheClusterIsAvailable() {
        assertThat(store.get(p + "nothing")).isEmpty();
        assertThat(store.unavailableReason()).isEmpty();
        assertThat(store).hasToString("etcd://" + endpoint.authority());
    }

    @Test
    void putKeepsTheCreateRevisionAndMovesTheModRevision() {
        assertThat(store.put(p + "k", bytes("one"))).isEqualTo(base + 1);
        assertThat(store.put(p + "other", bytes("x"))).isEqualTo(base + 2);
        assertThat(store.put(p + "k", bytes("two"))).isEqualTo(base + 3);

        KeyValue kv = store.get(p + "k").orElseThrow();
        assertThat(kv.text()).isEqualTo("two");
        assertThat(kv.createRevision()).isEqualTo(base + 1);
        assertThat(kv.modRevision()).isEqualTo(base + 3);
        assertThat(store.revision()).isEqualTo(base + 3);
    }

    @Test
    void aKeyCreatedAgainAfterItsDeleteGetsANewCreateRevision() {
        store.put(p + "k", bytes("a"));
        assertThat(store.delete(p + "k")).isTrue();
        store.put(p + "k", bytes("b"));

        assertThat(store.get(p + "k").orElseThrow().createRevision()).isEqualTo(base + 3);
    }

    @Test
    void rangeListsOnlyThePrefixInKeyOrder() {
        for (String key : List.of("a/2", "a/10", "a", "a0", "a/1", "b/1")) {
            store.put(p + key, bytes(key));
        }

        assertThat(keys(store.range(p + "a/"))).containsExactly(p + "a/1", p + "a/10", p + "a/2");
        assertThat(keys(store.range(p))).containsExactly(p + "a", p + "a/1", p + "a/10", p + "a/2", p + "a0", p + "b/1");
        assertThat(store.range(p + "c")).isEmpty();
        assertThat(keys(store.range(""))).contains(p + "a", p + "b/1");
    }

    @Test
    void keysAreOrderedByTheirUtf8Bytes() {
        store.put(p + "\uFFFD", bytes("replacement"));
        store.put(p + "\uD83D\uDE00", bytes("emoji"));
        store.put(p + "z", bytes("z"));

        assertThat(keys(store.range(p))).containsExactly(p + "z", p + "\uFFFD", p + "\uD83D\uDE00");
    }

    @Test
    void txnTakesTheSuccessBranchWhenEveryCompareHolds() {
        long rev = store.put(p + "k", bytes("v"));

        TxnResult result = store.txn(
                List.of(new Compare.ModRevision(p + "k", rev), new Compare.Exists(p + "k"), new Compare.Absent(p + "other")),
                List.of(new Op.Put(p + "k", bytes("then")), new Op.Put(p + "other", bytes("then"))),
                List.of(new Op.Put(p + "else", bytes("else"))));

        assertThat(result).isEqualTo(new TxnResult(true, base + 2));
        assertThat(store.get(p + "k").orElseThrow().text()).isEqualTo("then");
        assertThat(store.get(p + "other").orElseThrow().modRevision()).isEqualTo(base + 2);
        assertThat(store.get(p + "else")).isEmpty();
    }

    @Test
    void txnTakesTheFailureBranchWhenOneCompareFails() {
        long rev = store.put(p + "k", bytes("v"));

        TxnResult result = store.txn(
                List.of(new Compare.ModRevision(p + "k", rev), new Compare.Absent(p + "k")),
                List.of(new Op.Put(p + "then", bytes("then"))),
                List.of(new Op.Put(p + "else", bytes("else"))));

        assertThat(result).isEqualTo(new TxnResult(false, base + 2));
        assertThat(store.get(p + "then")).isEmpty();
        assertThat(store.get(p + "else").orElseThrow().text()).isEqualTo("else");
    }

    @Test
    void aFailedTxnReadingBackReturnsTheComparedKeysThatExistAndWritesNothing() {
        long rev = store.put(p + "k", bytes("v"));
        store.put(p + "k", bytes("w"));

        TxnResult result = store.txnReadingBack(
                List.of(new Compare.ModRevision(p + "k", rev), new Compare.Absent(p + "gone")),
                List.of(new Op.Put(p + "then", bytes("then"))));

        assertThat(result.succeeded()).isFalse();
        assertThat(result.read()).singleElement().satisfies(kv -> {
            assertThat(kv.key()).isEqualTo(p + "k");
            assertThat(kv.text()).isEqualTo("w");
            assertThat(kv.modRevision()).isEqualTo(base + 2);
        });
        assertThat(store.get(p + "then")).isEmpty();
        assertThat(store.txnReadingBack(List.of(new Compare.Absent(p + "gone")), List.of(new Op.Put(p + "then", bytes("then")))))
                .isEqualTo(new TxnResult(true, base + 3));
    }

    @Test
    void modRevisionZeroMeansTheKeyIsAbsent() {
        assertThat(store.compareAndPut(p + "k", bytes("first"), 0)).isTrue();
        assertThat(store.compareAndPut(p + "k", bytes("second"), 0)).isFalse();
        assertThat(store.compareAndPut(p + "k", bytes("second"), base + 1)).isTrue();
        assertThat(store.compareAndDelete(p + "k", base + 1)).isFalse();
        assertThat(store.compareAndDelete(p + "k", base + 2)).isTrue();
        assertThat(store.get(p + "k")).isEmpty();
    }

    @Test
    void aTxnThatChangesNothingDoesNotSpendARevision() {
        store.put(p + "k", bytes("v"));

        assertThat(store.txn(List.of(new Compare.Absent(p + "k")), List.of(new Op.Put(p + "x", bytes("x"))), List.of()))
                .isEqualTo(new TxnResult(false, base + 1));
        assertThat(store.delete(p + "missing")).isFalse();
        assertThat(store.txn(List.of(), List.of(new Op.Delete(p + "missing"), new Op.DeletePrefix(p + "none/")), List.of()))
                .isEqualTo(new TxnResult(true, base + 1));
        assertThat(store.revision()).isEqualTo(base + 1);
    }

    @Test
    void aTxnWithManyWritesSpendsOneRevision() {
        TxnResult result = store.txn(List.of(),
                List.of(new Op.Put(p + "a", bytes("1")), new Op.Put(p + "b", bytes("2")), new Op.Delete(p + "missing")), List.of());

        assertThat(result.revision()).isEqualTo(base + 1);
        assertThat(store.range(p)).extracting(KeyValue::modRevision).containsExactly(base + 1, base + 1);
    }

    @Test
    void deletePrefixRemovesOnlyThatPrefixInOneRevision() {
        for (String key : List.of("links/a", "links/b", "links", "linksx", "nodes/a")) {
            store.put(p + key, bytes(key));
        }

        TxnResult result = store.txn(List.of(), List.of(new Op.DeletePrefix(p + "links/")), List.of());

        assertThat(result.revision()).isEqualTo(base + 6);
        assertThat(keys(store.range(p))).containsExactly(p + "links", p + "linksx", p + "nodes/a");
    }

    @Test
    void aBranchMayNotWriteOneKeyTwice() {
        assertThatThrownBy(() -> store.txn(List.of(), List.of(new Op.Put(p + "k", bytes("1")), new Op.Put(p + "k", bytes("2"))), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate key");
        assertThat(store.txn(List.of(), List.of(new Op.Delete(p + "k"), new Op.DeletePrefix(p + "k")), List.of()).succeeded()).isTrue();
        assertThat(store.revision()).isEqualTo(base);
    }

    @Test
    void aWatchSeesEveryChangeInRevisionOrderAndMayUseTheStore() throws Exception {
        store.put(p + "before", bytes("0"));
        var seen = new CopyOnWriteArrayList<WatchEvent>();
        var reads = new AtomicInteger();
        var done = new CountDownLatch(1);
        int writes = 30;
        Watch watch = store.watch(p, base, events -> {
            // a listener that calls the store must not block the client's I/O thread
            store.get(p + "before").ifPresent(kv -> reads.incrementAndGet());
            seen.addAll(events);
            if (seen.size() >= writes + 2) {
                done.countDown();
            }
        });
        try {
            for (int i = 0; i < writes; i++) {
                store.put(p + "k" + (i % 5), bytes(String.valueOf(i)));
            }
            store.txn(List.of(), List.of(new Op.DeletePrefix(p + "k")), List.of());
            store.put("/elsewhere/" + p, bytes("not seen"));
            assertThat(done.await(10, TimeUnit.SECONDS)).as("all events within 10 s, seen %s", seen.size()).isTrue();
        } finally {
            watch.close();
            watch.close();
        }

        assertThat(seen.getFirst()).satisfies(e -> {
            assertThat(e.type()).isEqualTo(WatchEvent.Type.PUT);
            assertThat(e.kv().key()).isEqualTo(p + "before");
            assertThat(e.kv().modRevision()).isEqualTo(base + 1);
        });
        for (int i = 0; i < writes; i++) {
            WatchEvent event = seen.get(i + 1);
            assertThat(event.type()).isEqualTo(WatchEvent.Type.PUT);
            assertThat(event.kv().text()).isEqualTo(String.valueOf(i));
            assertThat(event.kv().modRevision()).isEqualTo(base + 2 + i);
        }
        List<WatchEvent> deletes = seen.subList(writes + 1, seen.size());
        assertThat(deletes).hasSize(5).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(WatchEvent.Type.DELETE);
            assertThat(e.kv().modRevision()).isEqualTo(base + 2 + writes);
            assertThat(e.kv().value()).isEmpty();
        });
        assertThat(reads.get()).isPositive();
    }

    @Test
    void aWatchFromACompactedRevisionIsRefused() throws Exception {
        store.put(p + "a", bytes("1"));
        store.put(p + "a", bytes("2"));
        long now = store.put(p + "a", bytes("3"));
        try (Client admin = Client.builder().endpoints("http://" + endpoint.authority()).build()) {
            admin.getKVClient().compact(now).get(5, TimeUnit.SECONDS);
        }

        assertThatThrownBy(() -> store.watch(p, base, events -> {}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("compacted").hasMessageContaining("list the keys again");
        store.watch(p, now - 1, events -> {}).close();
    }

    @Test
    void concurrentCompareAndPutIncrementsLoseNoUpdate() throws Exception {
        int threads = 4;
        int increments = 50;
        var pool = Executors.newFixedThreadPool(threads);
        try {
            var tasks = new ArrayList<Callable<Integer>>();
            for (int t = 0; t < threads; t++) {
                tasks.add(() -> Counters.increment(store, p + "counter", increments));
            }
            int conflicts = 0;
            for (Future<Integer> done : pool.invokeAll(tasks, 1, TimeUnit.MINUTES)) {
                conflicts += done.get();
            }
            System.out.printf("etcd: 4 x 50 compare-and-put increments: %d retries after a conflict%n", conflicts);
        } finally {
            pool.shutdownNow();
        }

        assertThat(store.get(p + "counter").orElseThrow().text()).isEqualTo(String.valueOf(threads * increments));
        assertThat(store.revision()).isEqualTo(base + threads * increments);
    }

    @Test
    void anUnreachableClusterFailsWithinTheDeadlineNamingTheEndpoints() throws Exception {
        var nowhere = new EtcdEndpoint("127.0.0.1", freePort());
        try (EtcdKvStore unreachable = EtcdKvStore.open(List.of(nowhere))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> unreachable.get("k"))
                    .isInstanceOf(StoreUnavailableException.class).hasMessageContaining(nowhere.authority());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(EtcdKvStore.DEADLINE.plusSeconds(2));
            assertThat(unreachable.unavailableReason()).hasValueSatisfying(reason -> assertThat(reason).contains(nowhere.authority()));
        }
    }

    @Test
    void severalEndpointsIncludingAnIpv6LiteralAreAllUsable() throws Exception {
        var down = new EtcdEndpoint("0:0:0:0:0:0:0:1", freePort());
        try (EtcdKvStore both = EtcdKvStore.open(List.of(down, endpoint))) {
            assertThat(both.put(p + "k", bytes("v"))).isEqualTo(base + 1);
            assertThat(both.get(p + "k")).isPresent();
            assertThat(both).hasToString("etcd://[0:0:0:0:0:0:0:1]:" + down.port() + "," + endpoint.authority());
        }
    }

    @Test
    void aClosedStoreSaysSo() {
        var other = EtcdKvStore.open(List.of(endpoint));
        other.close();
        other.close();

        assertThatThrownBy(() -> other.get("k")).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("closed");
        assertThat(other.unavailableReason()).hasValueSatisfying(reason -> assertThat(reason).contains("closed"));
    }
}
