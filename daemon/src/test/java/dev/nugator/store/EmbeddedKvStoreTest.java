package dev.nugator.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKvStoreTest {
    @TempDir
    Path dir;
    Path file;
    EmbeddedKvStore store;

    @BeforeEach
    void open() {
        file = dir.resolve("state/sub/store.db");
        store = EmbeddedKvStore.open(file);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    static List<String> keys(List<KeyValue> kvs) {
        return kvs.stream().map(KeyValue::key).toList();
    }

    @Test
    void openCreatesTheDirectoryAndStartsAtRevisionZero() {
        assertThat(file).exists();
        assertThat(store.revision()).isZero();
        assertThat(store.get("nothing")).isEmpty();
        assertThat(store.unavailableReason()).isEmpty();
    }

    @Test
    void putKeepsTheCreateRevisionAndMovesTheModRevision() {
        assertThat(store.put("k", bytes("one"))).isEqualTo(1);
        assertThat(store.put("other", bytes("x"))).isEqualTo(2);
        assertThat(store.put("k", bytes("two"))).isEqualTo(3);

        KeyValue kv = store.get("k").orElseThrow();
        assertThat(kv.text()).isEqualTo("two");
        assertThat(kv.createRevision()).isEqualTo(1);
        assertThat(kv.modRevision()).isEqualTo(3);
        assertThat(store.revision()).isEqualTo(3);
    }

    @Test
    void aKeyCreatedAgainAfterItsDeleteGetsANewCreateRevision() {
        store.put("k", bytes("a"));
        assertThat(store.delete("k")).isTrue();
        store.put("k", bytes("b"));

        assertThat(store.get("k").orElseThrow().createRevision()).isEqualTo(3);
    }

    @Test
    void storedValuesAreCopies() {
        byte[] value = bytes("abc");
        store.put("k", value);
        value[0] = 'X';

        assertThat(store.get("k").orElseThrow().text()).isEqualTo("abc");
    }

    @Test
    void rangeListsOnlyThePrefixInKeyOrder() {
        for (String key : List.of("a/2", "a/10", "a", "a0", "a/1", "b/1")) {
            store.put(key, bytes(key));
        }

        assertThat(keys(store.range("a/"))).containsExactly("a/1", "a/10", "a/2");
        assertThat(keys(store.range(""))).containsExactly("a", "a/1", "a/10", "a/2", "a0", "b/1");
        assertThat(store.range("c")).isEmpty();
    }

    @Test
    void keysAreOrderedByTheirUtf8BytesAsInEtcd() {
        // UTF-16 order would put the emoji (a surrogate pair) before U+FFFD; byte order puts it after
        store.put("u/\uFFFD", bytes("replacement"));
        store.put("u/\uD83D\uDE00", bytes("emoji"));
        store.put("u/z", bytes("z"));

        assertThat(keys(store.range("u/"))).containsExactly("u/z", "u/\uFFFD", "u/\uD83D\uDE00");
    }

    @Test
    void txnTakesTheSuccessBranchWhenEveryCompareHolds() {
        long rev = store.put("k", bytes("v"));

        TxnResult result = store.txn(
                List.of(new Compare.ModRevision("k", rev), new Compare.Exists("k"), new Compare.Absent("other")),
                List.of(new Op.Put("k", bytes("then")), new Op.Put("other", bytes("then"))),
                List.of(new Op.Put("else", bytes("else"))));

        assertThat(result).isEqualTo(new TxnResult(true, 2));
        assertThat(store.get("k").orElseThrow().text()).isEqualTo("then");
        assertThat(store.get("other").orElseThrow().modRevision()).isEqualTo(2);
        assertThat(store.get("else")).isEmpty();
    }

    @Test
    void txnTakesTheFailureBranchWhenOneCompareFails() {
        long rev = store.put("k", bytes("v"));

        TxnResult result = store.txn(
                List.of(new Compare.ModRevision("k", rev), new Compare.Absent("k")),
                List.of(new Op.Put("then", bytes("then"))),
                List.of(new Op.Put("else", bytes("else"))));

        assertThat(result).isEqualTo(new TxnResult(false, 2));
        assertThat(store.get("then")).isEmpty();
        assertThat(store.get("else").orElseThrow().text()).isEqualTo("else");
    }

    @Test
    void modRevisionZeroMeansTheKeyIsAbsent() {
        assertThat(store.compareAndPut("k", bytes("first"), 0)).isTrue();
        assertThat(store.compareAndPut("k", bytes("second"), 0)).isFalse();
        assertThat(store.compareAndPut("k", bytes("second"), 1)).isTrue();
        assertThat(store.compareAndDelete("k", 1)).isFalse();
        assertThat(store.compareAndDelete("k", 2)).isTrue();
        assertThat(store.get("k")).isEmpty();
    }

    @Test
    void aTxnThatChangesNothingDoesNotSpendARevision() {
        store.put("k", bytes("v"));

        assertThat(store.txn(List.of(new Compare.Absent("k")), List.of(new Op.Put("x", bytes("x"))), List.of()))
                .isEqualTo(new TxnResult(false, 1));
        assertThat(store.delete("missing")).isFalse();
        assertThat(store.txn(List.of(), List.of(new Op.Delete("missing"), new Op.DeletePrefix("none/")), List.of()))
                .isEqualTo(new TxnResult(true, 1));
        assertThat(store.revision()).isEqualTo(1);
    }

    @Test
    void aTxnWithManyWritesSpendsOneRevision() {
        TxnResult result = store.txn(List.of(),
                List.of(new Op.Put("a", bytes("1")), new Op.Put("b", bytes("2")), new Op.Delete("missing")), List.of());

        assertThat(result.revision()).isEqualTo(1);
        assertThat(store.range("")).extracting(KeyValue::modRevision).containsExactly(1L, 1L);
    }

    @Test
    void deletePrefixRemovesOnlyThatPrefixInOneRevision() {
        for (String key : List.of("links/a", "links/b", "links", "linksx", "nodes/a")) {
            store.put(key, bytes(key));
        }

        TxnResult result = store.txn(List.of(), List.of(new Op.DeletePrefix("links/")), List.of());

        assertThat(result.revision()).isEqualTo(6);
        assertThat(keys(store.range(""))).containsExactly("links", "linksx", "nodes/a");
    }

    @Test
    void aBranchMayNotWriteOneKeyTwiceAsInEtcd() {
        assertThatThrownBy(() -> store.txn(List.of(), List.of(new Op.Put("k", bytes("1")), new Op.Put("k", bytes("2"))), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate key");
        assertThatThrownBy(() -> store.txn(List.of(), List.of(), List.of(new Op.DeletePrefix("k"), new Op.Put("k/1", bytes("1")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k/1");
        assertThat(store.txn(List.of(), List.of(new Op.Delete("k"), new Op.DeletePrefix("k")), List.of()).succeeded()).isTrue();
        assertThat(store.revision()).isZero();
    }

    @Test
    void keysAndTheRevisionSurviveAReopen() {
        store.put("kept", bytes("v"));
        store.put("gone", bytes("v"));
        store.delete("gone");
        store.close();

        store = EmbeddedKvStore.open(file);

        assertThat(store.revision()).isEqualTo(3);
        assertThat(keys(store.range(""))).containsExactly("kept");
        assertThat(store.put("next", bytes("v"))).isEqualTo(4);
    }

    @Test
    void closeIsIdempotentAndLaterCallsSayTheStoreIsClosed() {
        store.close();
        store.close();

        assertThatThrownBy(() -> store.get("k")).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> store.put("k", bytes("v"))).isInstanceOf(StoreUnavailableException.class);
        assertThat(store.unavailableReason()).hasValueSatisfying(reason -> assertThat(reason).contains(file.toString(), "closed"));
    }

    @Test
    void concurrentCompareAndPutIncrementsLoseNoUpdate() throws Exception {
        int threads = 8;
        int increments = 200;
        var pool = Executors.newFixedThreadPool(threads);
        try {
            var tasks = new ArrayList<Callable<Integer>>();
            for (int t = 0; t < threads; t++) {
                tasks.add(() -> Counters.increment(store, "counter", increments));
            }
            int conflicts = 0;
            for (Future<Integer> done : pool.invokeAll(tasks, 2, TimeUnit.MINUTES)) {
                conflicts += done.get();
            }
            System.out.printf("8 x 200 compare-and-put increments: %d retries after a conflict%n", conflicts);
        } finally {
            pool.shutdownNow();
        }

        assertThat(store.get("counter").orElseThrow().text()).isEqualTo(String.valueOf(threads * increments));
        assertThat(store.revision()).isEqualTo(threads * increments);
    }
}
