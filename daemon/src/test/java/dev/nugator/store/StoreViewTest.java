package dev.nugator.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store read from memory over a real embedded store, as two nugatords sharing one store would use it. */
class StoreViewTest {
    static final String ROOT = "/nugator/v1/";
    static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    EmbeddedKvStore store;

    @BeforeEach
    void open() {
        System.setProperty("org.sqlite.tmpdir", dir.toString());
        store = EmbeddedKvStore.open(dir.resolve("store.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The store behind a view, counting the reads that reach it; the view closes it, the test closes the real one. */
    static class Counted implements KvStore {
        final KvStore inner;
        final AtomicInteger reads = new AtomicInteger();

        Counted(KvStore inner) {
            this.inner = inner;
        }

        @Override public Optional<KeyValue> get(String key) { reads.incrementAndGet(); return inner.get(key); }
        @Override public List<KeyValue> range(String prefix) { reads.incrementAndGet(); return inner.range(prefix); }
        @Override public TxnResult txn(List<Compare> c, List<Op> s, List<Op> f) { return inner.txn(c, s, f); }
        @Override public long revision() { return inner.revision(); }
        @Override public Watch watch(String p, long after, Consumer<List<WatchEvent>> l) { return inner.watch(p, after, l); }
        @Override public Registration keepAlive(String k, byte[] v, Duration ttl) { return inner.keepAlive(k, v, ttl); }
        @Override public Optional<String> unavailableReason() { return inner.unavailableReason(); }
        @Override public void close() { }
    }

    @Test
    void readsComeFromMemoryAndAnotherWritersChangesArriveThroughTheWatch() {
        var counted = new Counted(store);
        var view = StoreView.over(counted, ROOT);
        view.refresh();
        int afterLoad = counted.reads.get();

        long revision = store.put(ROOT + "links/x", bytes("one"));
        view.awaitRevision(revision, WAIT);

        assertThat(view.get(ROOT + "links/x")).get().extracting(KeyValue::text).isEqualTo("one");
        assertThat(view.range(ROOT + "links/")).hasSize(1);
        assertThat(counted.reads.get()).as("no read reached the store after the first full one").isEqualTo(afterLoad);
        assertThat(view.get("/elsewhere/y")).isEmpty();
        assertThat(counted.reads.get()).as("a key outside the view is read from the store").isEqualTo(afterLoad + 1);
        view.close();
    }

    @Test
    void aWriterHasSeenWhatCameBeforeItsWriteWithoutWaitingForTheEchoOfItsOwn() {
        // An ADD waits until the view holds every write before its own (awaitRevision(revision - 1)):
        // with the watch held back after that, its own write's echo never comes, and it need not.
        var held = new java.util.concurrent.atomic.AtomicBoolean();
        var backing = new Counted(store) {
            @Override public Watch watch(String p, long after, Consumer<List<WatchEvent>> l) {
                return inner.watch(p, after, events -> {
                    while (held.get()) {
                        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    }
                    l.accept(events);
                });
            }
        };
        var view = StoreView.over(backing, ROOT);
        view.refresh();
        long before = store.put(ROOT + "links/x", bytes("another node's"));
        view.awaitRevision(before, WAIT);
        held.set(true);

        long own = view.put(ROOT + "pods/default/a", bytes("here"));
        long start = System.nanoTime();
        view.awaitRevision(own - 1, WAIT);
        long beforeOwn = System.nanoTime() - start;
        start = System.nanoTime();
        view.awaitRevision(own, Duration.ofMillis(300));
        long ownEcho = System.nanoTime() - start;
        held.set(false);

        assertThat(own).isEqualTo(before + 1);
        assertThat(Duration.ofNanos(beforeOwn)).as("what came before is here already").isLessThan(Duration.ofSeconds(1));
        assertThat(Duration.ofNanos(ownEcho)).as("the echo of its own write was held back").isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(view.get(ROOT + "pods/default/a")).get().extracting(KeyValue::text).isEqualTo("here");
        view.close();
    }

    @Test
    void aNodeReadsItsOwnWriteAtOnce() {
        var view = StoreView.over(new Counted(store), ROOT);
        view.refresh();

        view.put(ROOT + "pods/default/a", bytes("here"));
        assertThat(view.get(ROOT + "pods/default/a")).get().extracting(KeyValue::text).isEqualTo("here");

        view.delete(ROOT + "pods/default/a");
        assertThat(view.get(ROOT + "pods/default/a")).as("gone at once, whatever the watch still brings").isEmpty();
        view.awaitRevision(store.revision(), WAIT);
        assertThat(view.get(ROOT + "pods/default/a")).isEmpty();
        view.close();
    }

    @Test
    void countersThroughTwoViewsLoseNoIncrementWhenTheirCopiesAreStale() throws Exception {
        var one = StoreView.over(new Counted(store), ROOT);
        var two = StoreView.over(new Counted(store), ROOT);
        one.refresh();
        two.refresh();

        var a = CompletableFuture.runAsync(() -> Counters.increment(one, ROOT + "counter", 200));
        var b = CompletableFuture.runAsync(() -> Counters.increment(two, ROOT + "counter", 200));
        a.get(60, TimeUnit.SECONDS);
        b.get(60, TimeUnit.SECONDS);

        assertThat(store.get(ROOT + "counter")).get().extracting(KeyValue::text).isEqualTo("400");
        one.close();
        two.close();
    }

    @Test
    void aLateEventNeverBringsAnOlderStateBack() {
        var keys = new ViewKeys();
        var key = ROOT + "pods/default/a";
        keys.wrote(List.of(new Op.Put(key, bytes("v5"))), 5);
        keys.wrote(List.of(new Op.Delete(key)), 6);

        keys.apply(new WatchEvent(WatchEvent.Type.PUT, new KeyValue(key, bytes("v5"), 5, 5)));
        assertThat(keys.get(key)).as("the echo of the put, after the delete").isEmpty();
        keys.apply(new WatchEvent(WatchEvent.Type.PUT, new KeyValue(key, bytes("v7"), 7, 7)));
        assertThat(keys.get(key)).get().extracting(KeyValue::text).isEqualTo("v7");
        keys.apply(new WatchEvent(WatchEvent.Type.DELETE, new KeyValue(key, new byte[0], 0, 6)));
        assertThat(keys.get(key)).as("the echo of the delete, after a newer put").isPresent();
    }

    @Test
    void aDeleteTheWatchBringsWhileAFullReadIsUnderWayIsNotUndoneByTheRead() {
        var keys = new ViewKeys();
        var key = ROOT + "pods/default/a";
        keys.apply(new WatchEvent(WatchEvent.Type.PUT, new KeyValue(key, bytes("a"), 5, 5)));

        keys.readStarts(6);   // a resync reads everything: at revision 6 the pod is there
        var read = List.of(new KeyValue(key, bytes("a"), 5, 5));
        keys.apply(new WatchEvent(WatchEvent.Type.DELETE, new KeyValue(key, new byte[0], 0, 7)));   // its DEL, meanwhile
        keys.forgetTombstonesUpTo(7);   // as the view does after each batch of the watch
        int missed = keys.merge(read, 6, 7);
        keys.readEnds();

        assertThat(missed).as("the view missed nothing").isZero();
        assertThat(keys.get(key)).as("the pod stays deleted").isEmpty();
        assertThat(keys.range(ROOT + "pods/")).isEmpty();
    }

    @Test
    void aFullReadDropsWhatWentUnseenButKeepsWhatIsNewerThanTheRead() {
        var keys = new ViewKeys();
        keys.wrote(List.of(new Op.Put(ROOT + "old", bytes("x"))), 3);
        keys.wrote(List.of(new Op.Put(ROOT + "new", bytes("y"))), 12);

        assertThat(keys.merge(List.of(new KeyValue(ROOT + "read", bytes("z"), 4, 4)), 10, 12))
                .as("a key of revision 4 the view at revision 12 lacked: a change it missed").isEqualTo(1);

        assertThat(keys.get(ROOT + "old")).as("deleted before the read").isEmpty();
        assertThat(keys.get(ROOT + "new")).as("written after the read began").isPresent();
        assertThat(keys.get(ROOT + "read")).isPresent();
    }

    @Test
    void aFullReadCountsNothingMissedWhenTheViewIsAtOrPastIt() {
        var keys = new ViewKeys();
        keys.wrote(List.of(new Op.Put(ROOT + "a", bytes("1"))), 3);
        keys.wrote(List.of(new Op.Put(ROOT + "b", bytes("2"))), 8);
        keys.wrote(List.of(new Op.Delete(ROOT + "c")), 9);

        assertThat(keys.merge(List.of(new KeyValue(ROOT + "a", bytes("1"), 3, 3), new KeyValue(ROOT + "b", bytes("1"), 5, 5),
                new KeyValue(ROOT + "c", bytes("0"), 4, 4), new KeyValue(ROOT + "d", bytes("4"), 11, 11)), 9, 10))
                .as("a as held; b and c changed since the read; d newer than the view").isZero();
        assertThat(keys.get(ROOT + "d")).isPresent();
        assertThat(keys.get(ROOT + "c")).isEmpty();
    }

    @Test
    void aRangeReadIsTheSameListUntilAKeyUnderItsPrefixChanges() {
        var keys = new ViewKeys();
        keys.wrote(List.of(new Op.Put(ROOT + "links/a", bytes("1")), new Op.Put(ROOT + "pods/p", bytes("x"))), 3);
        var links = keys.range(ROOT + "links/");

        keys.wrote(List.of(new Op.Put(ROOT + "pods/q", bytes("y"))), 4);
        keys.apply(new WatchEvent(WatchEvent.Type.DELETE, new KeyValue(ROOT + "pods/p", new byte[0], 0, 5)));
        assertThat(keys.range(ROOT + "links/")).as("changes elsewhere keep it").isSameAs(links);

        keys.apply(new WatchEvent(WatchEvent.Type.PUT, new KeyValue(ROOT + "links/a", bytes("2"), 3, 6)));
        var changed = keys.range(ROOT + "links/");
        assertThat(changed).isNotSameAs(links).extracting(KeyValue::text).containsExactly("2");

        keys.wrote(List.of(new Op.Delete(ROOT + "links/a")), 7);
        assertThat(keys.range(ROOT + "links/")).as("a delete under it").isEmpty();
        keys.apply(new WatchEvent(WatchEvent.Type.PUT, new KeyValue(ROOT + "links/a", bytes("1"), 3, 3)));
        assertThat(keys.range(ROOT + "links/")).as("a late echo changes nothing, so the empty read stays").isEmpty();
        keys.merge(List.of(new KeyValue(ROOT + "links/b", bytes("3"), 8, 8)), 8, 7);
        assertThat(keys.range(ROOT + "links/")).extracting(KeyValue::text).containsExactly("3");
        assertThat(keys.range(ROOT + "pods/")).as("a full read without them drops the pods").isEmpty();

        for (int i = 0; i < 100; i++) {
            keys.range(ROOT + "links/b" + i);   // the sweeper's reads by a device's prefix
        }
        assertThat(keys.rangesKept()).as("a few dozen at most").isBetween(1, 32);
        var again = keys.range(ROOT + "links/");
        assertThat(keys.range(ROOT + "links/")).isSameAs(again).extracting(KeyValue::text).containsExactly("3");
    }
}
