package dev.nugator.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;

/**
 * Removes a temporary directory that another thread may still be emptying (Vert.x deletes its
 * cache directory asynchronously as jetcd closes). A walk fails when a directory vanishes under
 * it, so one walk is not enough: walk and delete again until the tree is gone or time is up.
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
            try (var paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(TempTree::deleteIfThere);
            } catch (NoSuchFileException e) {
                // gone, or part of it went while walking: look again
            } catch (IOException | UncheckedIOException e) {
                // likewise; a real obstacle shows as the tree still there when time is up
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

    private static void deleteIfThere(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // not empty (something was added meanwhile) or vanished: the next round sees
        }
    }
}
