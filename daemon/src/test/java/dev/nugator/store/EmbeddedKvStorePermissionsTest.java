package dev.nugator.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store holds every link and pod: its file, its WAL and shared memory are 0600, also when an older nugatord made them 0644. */
class EmbeddedKvStorePermissionsTest {
    @TempDir
    Path dir;

    static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void aNewStoreAndItsWalAreOnlyTheOwners() throws Exception {
        Path file = dir.resolve("state/store.db");
        try (var store = EmbeddedKvStore.open(file)) {
            store.put("k", "v".getBytes(StandardCharsets.UTF_8));

            assertThat(mode(file.getParent())).isEqualTo("rwx------");
            assertThat(mode(file)).isEqualTo("rw-------");
            assertThat(mode(dir.resolve("state/store.db-wal"))).isEqualTo("rw-------");
            assertThat(mode(dir.resolve("state/store.db-shm"))).isEqualTo("rw-------");
        }
    }

    @Test
    void aWorldReadableStoreOfAnOlderVersionIsMadePrivateWhenOpened() throws Exception {
        Path file = dir.resolve("store.db");
        try (var store = EmbeddedKvStore.open(file)) {
            store.put("k", "v".getBytes(StandardCharsets.UTF_8));
        }
        for (String name : new String[] {"store.db", "store.db-wal", "store.db-shm"}) {
            if (Files.exists(dir.resolve(name))) {
                Files.setPosixFilePermissions(dir.resolve(name), PosixFilePermissions.fromString("rw-r--r--"));
            }
        }

        try (var store = EmbeddedKvStore.open(file)) {
            assertThat(store.get("k")).isPresent();
            assertThat(mode(file)).isEqualTo("rw-------");
            assertThat(mode(dir.resolve("store.db-wal"))).isEqualTo("rw-------");
            assertThat(mode(dir.resolve("store.db-shm"))).isEqualTo("rw-------");
        }
    }
}
