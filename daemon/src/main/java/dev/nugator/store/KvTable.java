package dev.nugator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of the embedded store over its one connection, statements prepared once. Not
 * thread-safe: {@link EmbeddedKvStore} calls it under its lock. Transactions are begun with
 * {@code BEGIN IMMEDIATE}, which takes the write lock at once, so a transaction never fails
 * half-way because another writer got there first.
 */
final class KvTable implements AutoCloseable {
    private static final String COLUMNS = "key, value, create_revision, mod_revision";

    private final Connection connection;
    private final Statement control;
    private final PreparedStatement get;
    private final PreparedStatement rangeAll;
    private final PreparedStatement rangeBounded;
    private final PreparedStatement modRevision;
    private final PreparedStatement upsert;
    private final PreparedStatement delete;
    private final PreparedStatement deleteFrom;
    private final PreparedStatement deleteBounded;
    private final PreparedStatement readRevision;
    private final PreparedStatement writeRevision;

    KvTable(Connection connection) throws SQLException {
        this.connection = connection;
        control = connection.createStatement();
        get = connection.prepareStatement("SELECT " + COLUMNS + " FROM kv WHERE key = ?");
        rangeAll = connection.prepareStatement("SELECT " + COLUMNS + " FROM kv WHERE key >= ? ORDER BY key");
        rangeBounded = connection.prepareStatement("SELECT " + COLUMNS + " FROM kv WHERE key >= ? AND key < ? ORDER BY key");
        modRevision = connection.prepareStatement("SELECT mod_revision FROM kv WHERE key = ?");
        upsert = connection.prepareStatement("INSERT INTO kv (" + COLUMNS + ") VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (key) DO UPDATE SET value = excluded.value, mod_revision = excluded.mod_revision"
                + " RETURNING create_revision");
        delete = connection.prepareStatement("DELETE FROM kv WHERE key = ?");
        deleteFrom = connection.prepareStatement("DELETE FROM kv WHERE key >= ? RETURNING key");
        deleteBounded = connection.prepareStatement("DELETE FROM kv WHERE key >= ? AND key < ? RETURNING key");
        readRevision = connection.prepareStatement("SELECT value FROM meta WHERE name = 'revision'");
        writeRevision = connection.prepareStatement("UPDATE meta SET value = ? WHERE name = 'revision'");
    }

    void begin() throws SQLException {
        control.execute("BEGIN IMMEDIATE");
    }

    void commit() throws SQLException {
        control.execute("COMMIT");
    }

    /**
     * Undoes the open transaction. After some I/O errors SQLite has rolled back already and this
     * fails too; that second failure is kept as suppressed, for the log, and changes nothing.
     */
    void rollback(Exception failure) {
        try {
            control.execute("ROLLBACK");
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    Optional<KeyValue> get(String key) throws SQLException {
        get.setBytes(1, KeyBytes.bytes(key));
        List<KeyValue> found = read(get);
        return found.stream().findFirst();
    }

    List<KeyValue> range(String prefix) throws SQLException {
        byte[] start = KeyBytes.bytes(prefix);
        byte[] end = KeyBytes.prefixEnd(start);
        return read(bind(end == null ? rangeAll : rangeBounded, start, end));
    }

    /** The key's mod revision, 0 when it does not exist (etcd's convention). */
    long modRevision(String key) throws SQLException {
        modRevision.setBytes(1, KeyBytes.bytes(key));
        try (ResultSet result = modRevision.executeQuery()) {
            return result.next() ? result.getLong(1) : 0;
        }
    }

    /** Writes the key at {@code revision}; a new key is created there, an existing one keeps its creation. */
    KeyValue put(String key, byte[] value, long revision) throws SQLException {
        upsert.setBytes(1, KeyBytes.bytes(key));
        upsert.setBytes(2, value);
        upsert.setLong(3, revision);
        upsert.setLong(4, revision);
        try (ResultSet result = upsert.executeQuery()) {
            result.next();
            return new KeyValue(key, value, result.getLong(1), revision);
        }
    }

    boolean delete(String key) throws SQLException {
        delete.setBytes(1, KeyBytes.bytes(key));
        return delete.executeUpdate() > 0;
    }

    /** Deletes every key under {@code prefix}; returns them in key order. */
    List<String> deletePrefix(String prefix) throws SQLException {
        byte[] start = KeyBytes.bytes(prefix);
        byte[] end = KeyBytes.prefixEnd(start);
        var keys = new ArrayList<byte[]>();
        try (ResultSet result = bind(end == null ? deleteFrom : deleteBounded, start, end).executeQuery()) {
            while (result.next()) {
                keys.add(result.getBytes(1));
            }
        }
        // RETURNING gives no order; watchers get etcd's, which is key (byte) order
        keys.sort(Arrays::compareUnsigned);
        return keys.stream().map(KeyBytes::text).toList();
    }

    long revision() throws SQLException {
        try (ResultSet result = readRevision.executeQuery()) {
            if (!result.next()) {
                throw new SQLException("the meta table has no revision row");
            }
            return result.getLong(1);
        }
    }

    void setRevision(long revision) throws SQLException {
        writeRevision.setLong(1, revision);
        writeRevision.executeUpdate();
    }

    private static PreparedStatement bind(PreparedStatement statement, byte[] start, byte[] end) throws SQLException {
        statement.setBytes(1, start);
        if (end != null) {
            statement.setBytes(2, end);
        }
        return statement;
    }

    private static List<KeyValue> read(PreparedStatement query) throws SQLException {
        var found = new ArrayList<KeyValue>();
        try (ResultSet result = query.executeQuery()) {
            while (result.next()) {
                found.add(new KeyValue(KeyBytes.text(result.getBytes(1)), result.getBytes(2), result.getLong(3), result.getLong(4)));
            }
        }
        return found;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
