package dev.nugator.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The install step's writes on a host: each one appears whole or not at all (a temporary name in
 * the same directory, then a rename), so that a runtime reading the CNI dirs at any moment sees the
 * old file or the new one. Temporary names start with a dot and end in {@code .tmp}: no runtime takes
 * them for a config or a plugin. Failures name the path.
 */
final class HostFiles {
    private HostFiles() {}

    /** Replaces {@code file} with {@code bytes}, synced to disk before and after the rename. */
    static void write(Path file, byte[] bytes) {
        Path temp = temporary(file);
        try {
            Files.write(temp, bytes);
            try (var channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(file.getParent());
        } catch (IOException e) {
            deleteQuietly(temp);
            throw failure("cannot write " + file, e);
        }
    }

    /** Points the symbolic link {@code link} at {@code target}, replacing whatever was there in one rename. */
    static void swapLink(Path link, Path target) {
        Path temp = temporary(link);
        try {
            Files.createSymbolicLink(temp, target);
            Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(link.getParent());
        } catch (IOException e) {
            deleteQuietly(temp);
            throw failure("cannot link " + link + " to " + target, e);
        }
    }

    /** A change to a copied tree before it takes its name. */
    @FunctionalInterface
    interface TreeEdit {
        void apply(Path copy) throws IOException;
    }

    /**
     * Copies the tree {@code from} to {@code to}, which must not exist: into a temporary sibling,
     * edited there, then renamed, so that {@code to} is complete whenever it exists. Times and modes
     * are kept (the shim's AOT cache is checked against its jars).
     */
    static void copyTree(Path from, Path to, TreeEdit edit) {
        Path temp = temporary(to);
        deleteTree(temp);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Files.copy(source, temp.resolve(from.relativize(source).toString()),
                        StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            }
            edit.apply(temp);
            Files.move(temp, to, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(to.getParent());
        } catch (IOException e) {
            deleteTree(temp);
            throw failure("cannot copy " + from + " to " + to, e);
        }
    }

    /** Removes a tree; a missing one is fine. */
    static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw failure("cannot remove " + root, e);
        }
    }

    /** Creates a directory and its parents, naming the one in the way when that fails. */
    static Path directory(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new CliFailure(1, "cannot make the directory " + dir + ": " + e.getFile() + " exists and is not a directory");
        } catch (IOException e) {
            throw failure("cannot make the directory " + dir, e);
        }
    }

    static CliFailure failure(String what, IOException e) {
        String reason = e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null
                ? fs.getFile() + ": " + fs.getReason() : e.toString();
        return new CliFailure(1, what + ": " + reason);
    }

    private static Path temporary(Path file) {
        return file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (var channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the failure being reported is the one that matters
        }
    }
}
