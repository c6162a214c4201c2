package dev.nugator.store;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Opens the SQLite file of the embedded store with the settings its crash safety rests on, and
 * creates or checks the schema.
 *
 * <p>Schema (version 1, kept in {@code PRAGMA user_version}):
 * <pre>
 *   kv(key BLOB PRIMARY KEY, value BLOB, create_revision INTEGER, mod_revision INTEGER)  -- the live keys
 *   meta(name TEXT PRIMARY KEY, value INTEGER)                                           -- 'revision'
 * </pre>
 * Keys are UTF-8 bytes (see {@link KeyBytes}). The store revision lives in {@code meta} rather than
 * being derived from {@code max(mod_revision)}: a delete raises it, and the deleted row is gone.
 */
final class SqliteFile {
    static final int SCHEMA_VERSION = 1;
    static final Duration BUSY_TIMEOUT = Duration.ofSeconds(5);

    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS kv (key BLOB PRIMARY KEY, value BLOB NOT NULL,"
                + " create_revision INTEGER NOT NULL, mod_revision INTEGER NOT NULL) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
        "INSERT OR IGNORE INTO meta (name, value) VALUES ('revision', 0)",
        "PRAGMA user_version = " + SCHEMA_VERSION,
    };

    private SqliteFile() {}

    /**
     * Creates the parent directory, opens (or creates) the file and its schema. The file is 0600
     * (it and its write-ahead log hold every link and pod), made so before SQLite opens it: SQLite
     * gives the -wal and -shm files it creates the database file's mode. Those an older nugatord
     * left are tightened too.
     */
    static Connection open(Path file) {
        createParent(file);
        SqliteNative.load(file);
        makePrivate(file);
        Connection connection = connect(file);
        try {
            configure(connection, file);
            createSchema(connection, file);
            syncDirectory(file.getParent());
            PrivateFiles.file(sibling(file, "-wal"));
            PrivateFiles.file(sibling(file, "-shm"));
            return connection;
        } catch (SQLException | IOException | RuntimeException e) {
            closeQuietly(connection, e);
            throw unavailable(file, "cannot open", e);
        }
    }

    static StoreUnavailableException unavailable(Path file, String action, Exception cause) {
        return new StoreUnavailableException("embedded store " + file + ": " + action + ": " + cause.getMessage(), cause);
    }

    private static void createParent(Path file) {
        try {
            Files.createDirectories(file.getParent(), PrivateFiles.NEW_DIRECTORY);
        } catch (IOException e) {
            throw new StoreUnavailableException("embedded store " + file + ": cannot create its directory: " + reason(e), e);
        }
    }

    private static String reason(IOException e) {
        return switch (e) {
            case FileAlreadyExistsException exists -> exists.getFile() + " exists and is not a directory";
            case AccessDeniedException denied -> denied.getFile() + ": permission denied";
            case FileSystemException other when other.getReason() != null -> other.getFile() + ": " + other.getReason();
            default -> e.toString();
        };
    }

    private static void makePrivate(Path file) {
        try {
            try {
                Files.createFile(file, PrivateFiles.NEW_FILE);   // an empty file is a new, empty database to SQLite
            } catch (FileAlreadyExistsException existing) {
                PrivateFiles.file(file);   // perhaps an older nugatord's, 0644
            }
        } catch (IOException e) {
            throw new StoreUnavailableException("embedded store " + file + ": cannot make it private (0600): " + reason(e), e);
        }
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    private static Connection connect(Path file) {
        try {
            return DriverManager.getConnection("jdbc:sqlite:" + file);
        } catch (SQLException e) {
            throw unavailable(file, "cannot open", e);
        }
    }

    /**
     * WAL with synchronous=FULL fsyncs the log at every commit, so a commit that returned survives
     * kill -9 and power loss; the busy timeout bounds the wait when another process holds the file.
     */
    private static void configure(Connection connection, Path file) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT.toMillis());
            try (var mode = statement.executeQuery("PRAGMA journal_mode = WAL")) {
                String journal = mode.next() ? mode.getString(1) : "none";
                if (!"wal".equalsIgnoreCase(journal)) {
                    throw new SQLException("the file system does not support write-ahead logging (journal mode " + journal + ")");
                }
            }
            statement.execute("PRAGMA synchronous = FULL");
        }
    }

    private static void createSchema(Connection connection, Path file) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            int version = userVersion(statement);
            if (version > SCHEMA_VERSION) {
                throw new SQLException("schema version " + version + " was written by a newer nugator (this one reads "
                        + SCHEMA_VERSION + ")");
            }
            statement.execute("BEGIN IMMEDIATE");
            for (String sql : SCHEMA) {
                statement.execute(sql);
            }
            statement.execute("COMMIT");
        }
    }

    private static int userVersion(Statement statement) throws SQLException {
        try (var result = statement.executeQuery("PRAGMA user_version")) {
            return result.next() ? result.getInt(1) : 0;
        }
    }

    /** A new file's directory entry must be durable too, or a power loss could lose the whole file. */
    private static void syncDirectory(Path directory) throws IOException {
        try (var channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void closeQuietly(Connection connection, Exception failure) {
        try {
            connection.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
