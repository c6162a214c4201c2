package dev.nugator.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * nugatord's state is its own: attachment records hold whole delegate configs and results, the store
 * every link and pod. Directories it keeps state in are 0700 and their files 0600, whatever the
 * umask, and a state directory an older nugatord left world-readable is tightened at start.
 */
public final class PrivateFiles {
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final FileAttribute<Set<PosixFilePermission>> NEW_DIRECTORY = PosixFilePermissions.asFileAttribute(DIRECTORY);
    static final FileAttribute<Set<PosixFilePermission>> NEW_FILE = PosixFilePermissions.asFileAttribute(FILE);

    private PrivateFiles() {}

    /** Creates {@code dir} (and missing parents) as 0700, or makes an existing one 0700. */
    public static void directory(Path dir) throws IOException {
        Files.createDirectories(dir, NEW_DIRECTORY);
        restrict(dir, DIRECTORY);
    }

    /** Makes every directory under {@code root} 0700 and every file 0600; symbolic links are left alone. */
    static void tighten(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    restrict(path, DIRECTORY);
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    restrict(path, FILE);
                }
            }
        }
    }

    /** Makes {@code file} 0600 if it exists. */
    static void file(Path file) throws IOException {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            restrict(file, FILE);
        }
    }

    private static void restrict(Path path, Set<PosixFilePermission> wanted) throws IOException {
        if (!Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).equals(wanted)) {
            Files.setPosixFilePermissions(path, wanted);
        }
    }
}
