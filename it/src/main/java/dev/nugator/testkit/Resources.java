package dev.nugator.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** What a lab made during one test, closed after it in reverse order; temp dirs are deleted with it. */
final class Resources {
    private final Deque<AutoCloseable> stack = new ArrayDeque<>();
    private final List<Path> tempDirs = new ArrayList<>();

    synchronized <T extends AutoCloseable> T track(T resource) {
        stack.push(resource);
        return resource;
    }

    Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("ntlab-");
            synchronized (this) {
                tempDirs.add(dir);
            }
            track(() -> FileTrees.delete(dir));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized List<Path> tempDirs() {
        return List.copyOf(tempDirs);
    }

    /** Everything tracked, last first, and forgets it (the caller closes it); the temp dirs stay listed, to be checked gone. */
    synchronized List<AutoCloseable> drain() {
        var all = new ArrayList<>(stack);
        stack.clear();
        return all;
    }
}
