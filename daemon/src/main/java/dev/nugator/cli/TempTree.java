package dev.nugator.cli;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Removes a temporary directory that another thread may still be emptying (Vert.x deletes its
 * cache directory asynchronously as jetcd closes). A walk fails when a directory vanishes under
 * it, so one {@link HostFiles#deleteTree} is not enough: again until the tree is gone or time is up.
 */
final class TempTree {
    private TempTree() {}

    /** Returns whether {@code dir} is gone; never throws (a leftover temp dir is not worth failing a command for). */
    static boolean delete(Path dir, Duration within) {
        if (dir == null) {
            return true;
        }
        long until = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                HostFiles.deleteTree(dir);
            } catch (CliFailure | UncheckedIOException e) {
                // part of it went (or came) while walking: look again
            }
            if (!Files.exists(dir)) {
                return true;
            }
            if (System.nanoTime() > until) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !Files.exists(dir);
            }
        }
    }
}
