package dev.nugator.pairing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.store.EmbeddedKvStore;
import dev.nugator.store.KeyValue;
import dev.nugator.store.Op;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records decoded once per version, on the real embedded store. */
class DecodedRecordsTest {
    @TempDir
    Path dir;

    @Test
    void aRecordIsDecodedAgainOnlyWhenItChangesAndAnUnreadableOneStaysSkipped() {
        try (var store = EmbeddedKvStore.open(dir.resolve("store.db"))) {
            var parses = new AtomicInteger();
            var decoded = new DecodedRecords<String>(UnreadableRecords.of(store), kv -> {
                parses.incrementAndGet();
                if (kv.text().startsWith("bad")) {
                    throw new IllegalArgumentException("not a number: " + kv.text());
                }
                return kv.text();
            });
            store.put("/t/a", bytes("1"));
            store.put("/t/b", bytes("bad"));

            assertThat(decoded.decodeAll(store.range("/t/"), true)).containsExactly("1");
            assertThat(decoded.decodeAll(store.range("/t/"), true)).containsExactly("1");
            assertThat(parses).as("each version parsed once").hasValue(2);

            store.put("/t/a", bytes("2"));
            store.put("/t/b", bytes("3"));
            assertThat(decoded.decodeAll(store.range("/t/"), true)).containsExactly("2", "3");
            assertThat(parses).hasValue(4);

            store.txn(List.of(), List.of(new Op.Delete("/t/b")), List.of());
            assertThat(decoded.decodeAll(store.range("/t/"), true)).containsExactly("2");
            KeyValue a = store.get("/t/a").orElseThrow();
            assertThat(decoded.decode(a)).contains("2");
            assertThat(parses).hasValue(4);
        }
    }

    @Test
    void theSameListReadAgainGivesTheSameDecodedListWithoutALookAtItsRecords() {
        try (var store = EmbeddedKvStore.open(dir.resolve("store.db"))) {
            var parses = new AtomicInteger();
            var decoded = new DecodedRecords<String>(UnreadableRecords.of(store), kv -> {
                parses.incrementAndGet();
                return kv.text();
            });
            store.put("/t/a", bytes("1"));
            var read = store.range("/t/");

            var first = decoded.decodeAll(read, true);
            assertThat(decoded.decodeAll(read, true)).isSameAs(first);
            assertThat(decoded.decodeAll(new ArrayList<>(read), true))
                    .as("an equal list read anew is decoded (from the values kept per version)")
                    .isNotSameAs(first).containsExactly("1");
            assertThat(parses).hasValue(1);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
