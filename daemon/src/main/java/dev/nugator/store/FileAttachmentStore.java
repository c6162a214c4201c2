package dev.nugator.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * One JSON file per attachment under {@code <state-dir>/attachments/<network>/<container>/<ifname>.json},
 * written to a temporary file, synced, renamed into place and the directory synced: a crash at
 * any point leaves either the previous record or the new one. Names are validated by the CNI
 * layer before they get here, so they are safe path segments.
 */
public final class FileAttachmentStore implements AttachmentStore {
    private final Path root;
    private final ObjectMapper mapper;

    public FileAttachmentStore(Path stateDir, ObjectMapper mapper) {
        this.root = stateDir.resolve("attachments");
        this.mapper = mapper;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the state directory " + root, e);
        }
    }

    private Path file(AttachmentKey key) {
        return root.resolve(key.network()).resolve(key.containerId()).resolve(key.ifname() + ".json");
    }

    @Override
    public Optional<Attachment> load(AttachmentKey key) {
        Path file = file(key);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        try {
            var attachment = mapper.readValue(bytes, Attachment.class);
            if (attachment.format() != Attachment.FORMAT || !key.equals(attachment.key())) {
                throw new IOException("record format " + attachment.format() + " for " + attachment.key());
            }
            return Optional.of(attachment);
        } catch (IOException | RuntimeException e) {
            throw new CorruptStateException("attachment record " + file + " is unreadable: " + e.getMessage(), e);
        }
    }

    @Override
    public void save(Attachment attachment) {
        Path file = file(attachment.key());
        Path dir = file.getParent();
        try {
            byte[] bytes = mapper.writeValueAsBytes(attachment);
            for (int attempt = 1; ; attempt++) {
                try {
                    writeAtomically(dir, file, bytes);
                    return;
                } catch (NoSuchFileException raceWithDelete) {
                    if (attempt == 3) {
                        throw raceWithDelete;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void writeAtomically(Path dir, Path file, byte[] bytes) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (var channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (var directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                directory.force(true);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public void delete(AttachmentKey key) {
        Path file = file(key);
        try {
            Files.deleteIfExists(file);
            removeIfEmpty(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    private static void removeIfEmpty(Path dir) throws IOException {
        try {
            Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException stillUsed) {
            // other interfaces of the same container remain
        }
    }

    @Override
    public List<AttachmentKey> list(String network) {
        Path dir = root.resolve(network);
        var keys = new ArrayList<AttachmentKey>();
        if (!Files.isDirectory(dir)) {
            return keys;
        }
        try (Stream<Path> files = Files.walk(dir, 2)) {
            files.filter(p -> p.getNameCount() == dir.getNameCount() + 2)
                    .filter(p -> p.getFileName().toString().endsWith(".json") && !p.getFileName().toString().startsWith("."))
                    .forEach(p -> {
                        String name = p.getFileName().toString();
                        keys.add(new AttachmentKey(network, p.getParent().getFileName().toString(),
                                name.substring(0, name.length() - ".json".length())));
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return keys;
    }

    @Override
    public Optional<String> unavailableReason() {
        if (!Files.isDirectory(root) || !Files.isWritable(root)) {
            return Optional.of("state directory " + root + " is missing or not writable");
        }
        return Optional.empty();
    }
}
