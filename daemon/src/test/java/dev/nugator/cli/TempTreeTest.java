package dev.nugator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A temp tree removed while another thread empties part of it, as Vert.x does with its cache at close. */
class TempTreeTest {
    @TempDir
    Path tmp;

    @Test
    void aTreeBeingEmptiedByAnotherThreadIsStillRemovedWhole() throws Exception {
        for (int round = 0; round < 200; round++) {
            Path dir = Files.createDirectory(tmp.resolve("nugatorctl-" + round));
            Path cache = Files.createDirectories(dir.resolve("vertx-cache").resolve("file-cache-" + round));
            for (int i = 0; i < 30; i++) {
                Files.writeString(cache.resolve("f" + i), "x");
            }
            var start = new CountDownLatch(1);
            var other = Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    TempTree.delete(dir.resolve("vertx-cache"), Duration.ZERO);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            start.countDown();
            assertThat(TempTree.delete(dir, Duration.ofSeconds(2))).as("round %d", round).isTrue();
            other.join();
            assertThat(dir).as("round %d", round).doesNotExist();
        }
    }

    @Test
    void nothingToDeleteIsDone() {
        assertThat(TempTree.delete(null, Duration.ZERO)).isTrue();
        assertThat(TempTree.delete(tmp.resolve("never-made"), Duration.ZERO)).isTrue();
    }
}
