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
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * One JSON file per attachment under {@code <state-dir>/attachments/<network>/<container>/<ifname>.json},
 * written to a temporary file, synced, renamed into place and the directory synced: a crash at
 * any point leaves either the previous record or the new one. Names are validated by the CNI
 * layer before they get here, so they are safe path segments.
 *
 * <p>A record is any {@code *.json} file, a temporary file any {@code *.tmp} one: an ifname may
 * start with a dot ({@code .x.json}), so a leading dot marks nothing. The state directory is
 * private ({@link PrivateFiles}): 0700 directories, 0600 files, tightened at start after an upgrade.
 */
public final class FileAttachmentStore implements AttachmentStore {
    private static final String RECORD = ".json";
    private static final String TEMPORARY = ".tmp";
    private final Path root;
    private final ObjectMapper mapper;

    public FileAttachmentStore(Path stateDir, ObjectMapper mapper) {
        this.root = stateDir.resolve("attachments");
        this.mapper = mapper;
        try {
            PrivateFiles.directory(stateDir);
            PrivateFiles.directory(root);
            PrivateFiles.tighten(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the state directory " + stateDir, e);
        }
    }

    private Path file(AttachmentKey key) {
        return root.resolve(key.network()).resolve(key.containerId()).resolve(key.ifname() + RECORD);
    }

    @Override
    public Optional<Attachment> load(AttachmentKey key) {
        Path file = file(key);
        byte[] bytes;
        if (!Files.exists(file)) {   // a new container's, on every ADD: no exception for the answer expected
            return Optional.empty();
        }
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
        Files.createDirectories(dir, PrivateFiles.NEW_DIRECTORY);
        Path tmp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + TEMPORARY);
        boolean moved = false;
        try {
            try (var channel = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), PrivateFiles.NEW_FILE)) {
                channel.write(java.nio.ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            try (var directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                directory.force(true);
            }
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
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
                    .filter(p -> p.getFileName().toString().endsWith(RECORD) && Files.isRegularFile(p))
                    .forEach(p -> {
                        String name = p.getFileName().toString();
                        keys.add(new AttachmentKey(network, p.getParent().getFileName().toString(),
                                name.substring(0, name.length() - RECORD.length())));
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return keys;
    }

    /** Whether an ADD could write its record now: found out by writing one (see {@link WriteProbe}). */
    @Override
    public Optional<String> unavailableReason() {
        if (!Files.isDirectory(root)) {
            return Optional.of("state directory " + root + " is missing");
        }
        return WriteProbe.problem(root).map(problem -> "state directory " + problem);
    }
}
