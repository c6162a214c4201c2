package dev.nugator.store;

import static dev.nugator.store.EmbeddedKvStoreTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKvStoreWatchTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    EmbeddedKvStore store;
    final LinkedBlockingQueue<List<WatchEvent>> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void open() {
        store = EmbeddedKvStore.open(dir.resolve("store.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** The next {@code count} deliveries, failing after {@link #WAIT}. */
    List<List<WatchEvent>> next(int count) throws InterruptedException {
        var batches = new ArrayList<List<WatchEvent>>();
        for (int i = 0; i < count; i++) {
            var batch = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(batch).as("delivery %d of %d", i + 1, count).isNotNull();
            batches.add(batch);
        }
        return batches;
    }

    static List<String> describe(List<List<WatchEvent>> batches) {
        return batches.stream().flatMap(List::stream)
                .map(e -> e.kv().modRevision() + " " + e.type() + " " + e.kv().key() + "=" + e.kv().text()).toList();
    }

    @Test
    void deliversTheChangesUnderThePrefixInRevisionOrder() throws Exception {
        store.watch("links/", store.revision(), received::add);

        store.put("links/a", bytes("1"));
        store.put("nodes/n", bytes("ignored"));
        store.put("links/b", bytes("2"));
        store.delete("links/a");
        store.txn(List.of(), List.of(new Op.Put("links/c", bytes("3")), new Op.Put("links/d", bytes("4"))), List.of());

        var batches = next(4);
        assertThat(describe(batches)).containsExactly(
                "1 PUT links/a=1", "3 PUT links/b=2", "4 DELETE links/a=", "5 PUT links/c=3", "5 PUT links/d=4");
        assertThat(batches.get(3)).hasSize(2);
        assertThat(received).isEmpty();
    }

    @Test
    void aDeleteEventCarriesTheKeyNoValueAndTheDeleteRevision() throws Exception {
        store.put("k/1", bytes("v"));
        store.watch("k/", store.revision(), received::add);

        store.txn(List.of(), List.of(new Op.DeletePrefix("k/")), List.of());

        WatchEvent event = next(1).getFirst().getFirst();
        assertThat(event.type()).isEqualTo(WatchEvent.Type.DELETE);
        assertThat(event.kv().key()).isEqualTo("k/1");
        assertThat(event.kv().value()).isEmpty();
        assertThat(event.kv().modRevision()).isEqualTo(2);
    }

    @Test
    void aWatchFromAPastRevisionFirstGetsTheChangesMadeSince() throws Exception {
        for (int i = 1; i <= 5; i++) {
            store.put("k/" + i, bytes(String.valueOf(i)));
        }

        store.watch("k/", 2, received::add);
        store.put("k/6", bytes("6"));

        assertThat(describe(next(4))).containsExactly("3 PUT k/3=3", "4 PUT k/4=4", "5 PUT k/5=5", "6 PUT k/6=6");
    }

    @Test
    void aWatchFromAFutureRevisionSkipsUpToIt() throws Exception {
        store.watch("k/", 2, received::add);
        for (int i = 1; i <= 3; i++) {
            store.put("k/" + i, bytes(String.valueOf(i)));
        }

        assertThat(describe(next(1))).containsExactly("3 PUT k/3=3");
    }

    @Test
    void aWatchOlderThanTheKeptHistoryIsRefused() {
        store.close();
        store = EmbeddedKvStore.open(dir.resolve("small.db"), 3);
        for (int i = 1; i <= 6; i++) {
            store.put("k/" + i, bytes("v"));
        }

        assertThatThrownBy(() -> store.watch("k/", 2, received::add))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("compacted").hasMessageContaining("revision 3");
        store.watch("k/", 3, received::add).close();
    }

    @Test
    void aReopenedStoreKnowsNoHistoryBeforeItOpened() {
        store.put("k/1", bytes("v"));
        store.put("k/2", bytes("v"));
        store.close();
        store = EmbeddedKvStore.open(dir.resolve("store.db"));

        assertThatThrownBy(() -> store.watch("k/", 1, received::add)).isInstanceOf(IllegalArgumentException.class);
        store.watch("k/", 2, received::add).close();
    }

    @Test
    void aFailingListenerKeepsGettingLaterChanges() throws Exception {
        store.watch("k/", 0, events -> {
            received.add(events);
            if (events.getFirst().kv().key().equals("k/bad")) {
                throw new IllegalStateException("listener bug (expected by the test)");
            }
        });

        store.put("k/bad", bytes("v"));
        store.put("k/good", bytes("v"));

        assertThat(describe(next(2))).containsExactly("1 PUT k/bad=v", "2 PUT k/good=v");
    }

    @Test
    void listenersRunOnAThreadOfTheStoreAndNeverHoldUpTheWriter() throws Exception {
        var release = new CountDownLatch(1);
        var deliveringThread = new AtomicReference<Thread>();
        store.watch("k/", 0, events -> {
            deliveringThread.set(Thread.currentThread());
            await(release);
            received.add(events);
        });

        for (int i = 1; i <= 100; i++) {
            store.put("k/" + i, bytes("v"));
        }
        release.countDown();

        assertThat(next(100)).hasSize(100);
        assertThat(deliveringThread.get()).isNotSameAs(Thread.currentThread());
        assertThat(deliveringThread.get().isVirtual()).isTrue();
    }

    @Test
    void aClosedWatchGetsNothingMore() throws Exception {
        Watch watch = store.watch("k/", 0, received::add);
        store.put("k/1", bytes("v"));
        next(1);

        watch.close();
        watch.close();
        store.put("k/2", bytes("v"));

        assertThat(received.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void closingTheStoreStopsTheWatchThreads() throws Exception {
        var deliveringThread = new AtomicReference<Thread>();
        store.watch("k/", 0, events -> deliveringThread.set(Thread.currentThread()));
        store.put("k/1", bytes("v"));
        waitUntil(() -> deliveringThread.get() != null);

        store.close();

        assertThat(deliveringThread.get().isAlive()).isFalse();
        assertThatThrownBy(() -> store.watch("k/", 0, received::add)).isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void aListenerMayWriteToTheStore() throws Exception {
        store.watch("in/", 0, events -> store.put("out/" + events.getFirst().kv().key(), bytes("seen")));
        store.watch("out/", 0, received::add);

        store.put("in/1", bytes("v"));

        assertThat(describe(next(1))).containsExactly("2 PUT out/in/1=seen");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %s", WAIT).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
