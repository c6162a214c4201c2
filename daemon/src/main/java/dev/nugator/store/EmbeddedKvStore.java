package dev.nugator.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-node store: one SQLite file (see {@link SqliteFile} for the schema and why it
 * survives kill -9), with etcd's revision rules. Each {@link #txn} is one SQL transaction at one
 * new store revision, spent only when the transaction changed something; a key keeps the revision
 * that created it and the one that last modified it. Watches are served from memory
 * ({@link WatchHub}), never from the file.
 *
 * <p>SQLite has a single writer, so one connection behind one lock serves every thread; the lock
 * wait is bounded, as is SQLite's own wait for a file held by another process.
 */
public final class EmbeddedKvStore implements KvStore {
    static final int HISTORY_EVENTS = 10_000;
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKvStore.class);
    private static final Duration LOCK_TIMEOUT = SqliteFile.BUSY_TIMEOUT.multipliedBy(2);

    private final Path file;
    private final KvTable table;
    private final TxnApplier applier;
    private final WatchHub watches;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<EmbeddedRegistration> registrations = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;
    private volatile long revision;
    private volatile String writeFailure;

    private EmbeddedKvStore(Path file, KvTable table, long revision, int historyEvents) {
        this.file = file;
        this.table = table;
        this.applier = new TxnApplier(table);
        this.revision = revision;
        this.watches = new WatchHub(revision, historyEvents);
    }

    /** Opens the store in {@code file}, creating the file, its directory and its schema when missing. */
    public static EmbeddedKvStore open(Path file) {
        return open(file, HISTORY_EVENTS);
    }

    static EmbeddedKvStore open(Path file, int historyEvents) {
        Path absolute = file.toAbsolutePath().normalize();
        Connection connection = SqliteFile.open(absolute);
        try {
            var table = new KvTable(connection);
            return new EmbeddedKvStore(absolute, table, table.revision(), historyEvents);
        } catch (SQLException e) {
            var failure = SqliteFile.unavailable(absolute, "cannot open", e);
            closeQuietly(connection, failure);
            throw failure;
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public Optional<KeyValue> get(String key) {
        return locked("read " + key, () -> table.get(key));
    }

    @Override
    public List<KeyValue> range(String prefix) {
        return locked("read the keys under " + prefix, () -> table.range(prefix));
    }

    @Override
    public TxnResult txn(List<Compare> compares, List<Op> onSuccess, List<Op> onFailure) {
        TxnChecks.requireNoOverlap(onSuccess);
        TxnChecks.requireNoOverlap(onFailure);
        return locked("write", () -> recordingFailure(() -> commit(compares, onSuccess, onFailure)));
    }

    @Override
    public long revision() {
        return revision;
    }

    @Override
    public Watch watch(String prefix, long afterRevision, Consumer<List<WatchEvent>> listener) {
        if (closing.get()) {
            throw closedFailure();
        }
        return watches.watch(prefix, afterRevision, listener);
    }

    @Override
    public Optional<String> unavailableReason() {
        if (closing.get()) {
            return Optional.of("embedded store " + file + " is closed");
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            return Optional.of("embedded store " + file + " is not writable");
        }
        // a full file system fails the next commit, not this check: write to find out
        return Optional.ofNullable(writeFailure).or(() -> WriteProbe.problem(file.getParent()).map(p -> "embedded store " + file + ": " + p));
    }

    /** Writes the key once and deletes it on close: {@link EmbeddedRegistration} says why it needs no expiry. */
    @Override
    public Registration keepAlive(String key, byte[] value, Duration ttl) {
        if (closing.get()) {
            throw closedFailure();
        }
        var registration = EmbeddedRegistration.start(this, key, value, ttl, registrations::remove);
        registrations.add(registration);
        return registration;
    }

    /**
     * Ends the registrations first (their keys are deleted while the file is open), then stops the
     * watches, so that no listener runs against a closed file; safe to call twice.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        for (EmbeddedRegistration registration : List.copyOf(registrations)) {
            registration.close();
        }
        try {
            watches.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            closed = true;
            table.close();
        } catch (SQLException e) {
            log.warn("embedded store {}: closing failed: {}", file, e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "embedded:" + file;
    }

    private TxnResult commit(List<Compare> compares, List<Op> onSuccess, List<Op> onFailure) throws SQLException {
        long next = revision + 1;
        TxnApplier.Applied applied;
        table.begin();
        try {
            applied = applier.apply(compares, onSuccess, onFailure, next);
            if (!applied.changes().isEmpty()) {
                table.setRevision(next);
            }
            table.commit();
        } catch (SQLException | RuntimeException e) {
            table.rollback(e);
            throw e;
        }
        if (!applied.changes().isEmpty()) {
            revision = next;
            // still under the lock: watches get the revisions in the order they were committed
            watches.publish(next, applied.changes());
        }
        return new TxnResult(applied.succeeded(), revision);
    }

    private <T> T recordingFailure(SqlCall<T> call) throws SQLException {
        try {
            T result = call.run();
            writeFailure = null;
            return result;
        } catch (SQLException e) {
            writeFailure = "embedded store " + file + ": the last write failed: " + e.getMessage();
            throw e;
        }
    }

    private <T> T locked(String action, SqlCall<T> call) {
        acquire(action);
        try {
            requireOpen();
            return call.run();
        } catch (SQLException e) {
            throw SqliteFile.unavailable(file, "cannot " + action, e);
        } finally {
            lock.unlock();
        }
    }

    private void acquire(String action) {
        try {
            if (!lock.tryLock(LOCK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new StoreUnavailableException("embedded store " + file + ": cannot " + action + ": busy for "
                        + LOCK_TIMEOUT.toSeconds() + " s", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("embedded store " + file + ": interrupted while waiting to " + action, e);
        }
    }

    /** Reads and writes still work while {@link #close} waits for the listeners, which may use them. */
    private void requireOpen() {
        if (closed) {
            throw closedFailure();
        }
    }

    private StoreUnavailableException closedFailure() {
        return new StoreUnavailableException("embedded store " + file + " is closed", null);
    }

    private static void closeQuietly(Connection connection, Exception failure) {
        try {
            connection.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** A store call that may fail in SQL; {@link #locked} turns the failure into {@link StoreUnavailableException}. */
    @FunctionalInterface
    private interface SqlCall<T> {
        T run() throws SQLException;
    }
}
