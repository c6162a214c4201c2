package dev.nugator.store;

import static dev.nugator.store.EmbeddedKvStoreTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKvStoreFailureTest {
    @TempDir
    Path dir;

    @Test
    void openFailsNamingTheFileWhenItsDirectoryCannotBeMade() throws Exception {
        Path blocker = Files.writeString(dir.resolve("plain-file"), "x");
        Path inside = blocker.resolve("store.db");

        assertThatThrownBy(() -> EmbeddedKvStore.open(inside))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining(inside.toString()).hasMessageContaining("exists and is not a directory");
    }

    @Test
    void openFailsNamingTheFileWhenItIsNotADatabase() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.db"), "not an SQLite file\n".repeat(300));

        assertThatThrownBy(() -> EmbeddedKvStore.open(garbage))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining(garbage.toString());
    }

    /**
     * An immutable file (chattr +i) refuses writes even to root, as a failing disk would: the write
     * fails as unavailable, the reason is reported, and writes work again once the cause is gone.
     */
    @Test
    void aFailedWriteIsUnavailableAndReportedUntilWritesWorkAgain() throws Exception {
        Path file = dir.resolve("store.db");
        Path wal = dir.resolve("store.db-wal");
        try (var store = EmbeddedKvStore.open(file)) {
            store.put("k", bytes("v"));
            try {
                assumeTrue(chattr("+i", file, wal), "chattr +i works here (root on a file system with attributes)");
                assertThatThrownBy(() -> store.put("k2", bytes("v")))
                        .isInstanceOf(StoreUnavailableException.class).hasMessageContaining(file.toString()).hasMessageContaining("cannot write");
                assertThat(store.unavailableReason()).hasValueSatisfying(reason -> assertThat(reason).contains(file.toString()));
                assertThat(store.revision()).isEqualTo(1);
            } finally {
                chattr("-i", file, wal);
            }
            assertThat(store.put("k2", bytes("v"))).isEqualTo(2);
            assertThat(store.unavailableReason()).isEmpty();
        }
    }

    private static boolean chattr(String flag, Path... files) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of("chattr", flag));
        for (Path file : files) {
            command.add(file.toString());
        }
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor() == 0;
        } catch (IOException noChattr) {
            return false;
        }
    }
}
