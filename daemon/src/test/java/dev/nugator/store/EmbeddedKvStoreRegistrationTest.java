package dev.nugator.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKvStoreRegistrationTest {
    static final Duration TTL = Duration.ofSeconds(1);

    @TempDir
    Path dir;
    EmbeddedKvStore store;

    @BeforeEach
    void open() {
        store = EmbeddedKvStore.open(dir.resolve("store.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theKeyIsThereUntilClosedAndNeverExpires() throws Exception {
        Registration registration = store.keepAlive("/nodes/a", "a".getBytes(UTF_8), TTL);
        Thread.sleep(TTL.multipliedBy(2).toMillis());

        assertThat(store.get("/nodes/a").orElseThrow().text()).isEqualTo("a");
        assertThat(registration.isLive()).isTrue();

        registration.close();
        registration.close();
        assertThat(store.get("/nodes/a")).isEmpty();
        assertThat(registration.isLive()).isFalse();
    }

    @Test
    void aKeyWrittenAgainSinceIsLeftToItsWriter() {
        Registration registration = store.keepAlive("/nodes/a", "a".getBytes(UTF_8), TTL);
        store.put("/nodes/a", "someone else".getBytes(UTF_8));

        registration.close();

        assertThat(store.get("/nodes/a").orElseThrow().text()).isEqualTo("someone else");
    }

    @Test
    void closingTheStoreDeletesTheKeysItKept() {
        Path file = dir.resolve("other.db");
        var other = EmbeddedKvStore.open(file);
        Registration registration = other.keepAlive("/nodes/a", "a".getBytes(UTF_8), TTL);
        other.close();

        assertThat(registration.isLive()).isFalse();
        try (var reopened = EmbeddedKvStore.open(file)) {
            assertThat(reopened.get("/nodes/a")).isEmpty();
        }
        assertThatThrownBy(() -> other.keepAlive("/nodes/a", new byte[0], TTL)).isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void theSameArgumentsAsEtcdAreRefused() {
        assertThatThrownBy(() -> store.keepAlive("/nodes/a", new byte[0], Duration.ofMillis(999))).hasMessageContaining("at least 1 s");
        assertThatThrownBy(() -> store.keepAlive("", new byte[0], TTL)).hasMessageContaining("empty key");
    }
}
