package dev.nugator.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Whether a directory takes writes now, found out by writing: a full file system still says it is
 * writable, and on some (ext4's delayed allocation) only the fsync fails. The probe file starts with
 * a dot and ends in {@code .tmp}, so no reader of the directory takes it for a record.
 */
final class WriteProbe {
    private static final int SIZE = 4096;

    private WriteProbe() {}

    /** Why {@code dir} cannot take a write, or empty when a probe file was written, synced and removed. */
    static Optional<String> problem(Path dir) {
        Path probe = dir.resolve(".write-probe-" + UUID.randomUUID() + ".tmp");
        try {
            try (var channel = FileChannel.open(probe, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PrivateFiles.NEW_FILE)) {
                channel.write(ByteBuffer.allocate(SIZE));
                channel.force(true);
            } finally {
                Files.deleteIfExists(probe);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(dir + " cannot take writes: " + reason(e));
        }
    }

    /** The system's words for an I/O failure ("No space left on device"), without Java's decoration. */
    static String reason(IOException e) {
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
