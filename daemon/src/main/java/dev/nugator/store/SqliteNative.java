package dev.nugator.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

/**
 * Loads SQLite's native library. sqlite-jdbc unpacks it into {@code org.sqlite.tmpdir} (nugatord's
 * state directory) and, when that fails, logs the cause and throws only "no native library found";
 * so a failed load is followed by unpacking the library once more by hand, to tell why (a full
 * file system, a directory that is not writable) where a person starting nugatord sees it.
 */
final class SqliteNative {
    private SqliteNative() {}

    /** Loads the library once per process; a StoreUnavailableException that says why it cannot be. */
    static void load(Path file) {
        try {
            SQLiteJDBCLoader.initialize();
        } catch (Exception e) {
            String why = unpackProblem().orElse(e.getMessage());
            throw new StoreUnavailableException("embedded store " + file + ": cannot load SQLite's native library: " + why, e);
        }
    }

    /** What goes wrong when the library is unpacked where sqlite-jdbc unpacks it, if anything does. */
    private static Optional<String> unpackProblem() {
        Path dir = Path.of(System.getProperty("org.sqlite.tmpdir", System.getProperty("java.io.tmpdir")));
        String resource = "/org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + System.mapLibraryName("sqlitejdbc");
        try (InputStream library = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            if (library == null) {
                return Optional.empty();
            }
            Path copy = Files.createTempFile(dir, ".sqlite-unpack-probe-", ".tmp", PrivateFiles.NEW_FILE);
            try {
                Files.copy(library, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(copy);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("it cannot be unpacked into " + dir + ": " + WriteProbe.reason(e));
        }
    }
}
