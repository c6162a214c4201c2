package dev.nugator.it;

import dev.nugator.testkit.Proc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * A small tmpfs mounted on a test's directory, to run out of space for real: {@link #fill()} writes
 * a filler file until the kernel says ENOSPC, {@link #unfill()} removes it. {@link #close()}
 * unmounts it (lazily when something still holds it open), so the directory is the test's again.
 */
final class Tmpfs implements AutoCloseable {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private final Path dir;
    private final Path filler;

    private Tmpfs(Path dir) {
        this.dir = dir;
        this.filler = dir.resolve("filler");
    }

    /** Mounts a tmpfs of {@code size} (e.g. "256k") on {@code dir}, which must exist. */
    static Tmpfs mount(Path dir, String size) {
        Proc.of("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()).deadline(DEADLINE).check();
        return new Tmpfs(dir);
    }

    /** Writes zeros until no byte more fits. */
    void fill() {
        try (var channel = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            var zeros = ByteBuffer.allocate(64 * 1024);
            while (true) {
                channel.write(zeros.clear());
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left on device")) {
                throw new UncheckedIOException("filling " + dir, full);
            }
        }
    }

    void unfill() {
        try {
            Files.deleteIfExists(filler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (!Proc.of("umount", dir.toString()).deadline(DEADLINE).run().succeeded()) {
            Proc.of("umount", "-l", dir.toString()).deadline(DEADLINE).check();
        }
    }
}
