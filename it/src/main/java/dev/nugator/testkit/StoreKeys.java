package dev.nugator.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The keys in nugatord's embedded store, read with the {@code sqlite3} command (read-only, beside
 * the running daemon; the store is SQLite in WAL mode). The table layout is the product's own
 * business, so this answers empty when {@code sqlite3} is missing or the layout is not the one
 * known here; tests then rely on {@code nugatorctl status} alone.
 */
public final class StoreKeys {
    private static final Path SQLITE3 = Path.of("/usr/bin/sqlite3");

    private StoreKeys() {}

    /** Every key under {@code prefix} in the daemon's default store ({@code <state-dir>/store.db}). */
    public static Optional<List<String>> under(Nugatord daemon, String prefix) {
        return under(daemon.stateDir().resolve("store.db"), prefix);
    }

    public static Optional<List<String>> under(Path db, String prefix) {
        if (!Files.isExecutable(SQLITE3) || !Files.isRegularFile(db)) {
            return Optional.empty();
        }
        var result = Proc.of(SQLITE3.toString(), "-readonly", db.toString(), "select cast(key as text) from kv order by key")
                .deadline(Duration.ofSeconds(20)).run();
        if (!result.succeeded()) {
            return Optional.empty();
        }
        return Optional.of(result.stdout().lines().filter(k -> k.startsWith(prefix)).toList());
    }

    /**
     * The JSON value under every key starting with {@code prefix} (e.g. {@code /nugator/v1/links/}),
     * or empty when the store cannot be read this way.
     */
    public static Optional<List<com.fasterxml.jackson.databind.JsonNode>> values(Nugatord daemon, String prefix) {
        Path db = daemon.stateDir().resolve("store.db");
        if (!Files.isExecutable(SQLITE3) || !Files.isRegularFile(db)) {
            return Optional.empty();
        }
        var result = Proc.of(SQLITE3.toString(), "-readonly", db.toString(),
                        "select cast(value as text) from kv where substr(cast(key as text), 1, " + prefix.length() + ") = '"
                                + prefix.replace("'", "''") + "' order by key")
                .deadline(Duration.ofSeconds(20)).run();
        if (!result.succeeded()) {
            return Optional.empty();
        }
        return Optional.of(result.stdout().lines().filter(l -> !l.isBlank()).map(Json::parse).toList());
    }

    /**
     * Writes {@code value} (any bytes' worth of text, JSON or not) under {@code key} in the daemon's
     * embedded store, as another writer of the same layout would (a newer nugatord, a damaged disk):
     * at a new store revision, keeping the key's create revision. Only while the daemon is stopped,
     * which the store's single writer needs; requires {@code sqlite3}.
     */
    public static void put(Nugatord daemon, String key, String value) {
        if (daemon.isAlive()) {
            throw new IllegalStateException("stop " + daemon + " before writing its store behind its back");
        }
        String sql = "BEGIN; UPDATE meta SET value = value + 1 WHERE name = 'revision';"
                + " INSERT INTO kv (key, value, create_revision, mod_revision)"
                + " SELECT CAST(" + quote(key) + " AS BLOB), CAST(" + quote(value) + " AS BLOB), value, value FROM meta WHERE name = 'revision'"
                + " ON CONFLICT (key) DO UPDATE SET value = excluded.value, mod_revision = excluded.mod_revision; COMMIT;";
        Proc.of(SQLITE3.toString(), daemon.stateDir().resolve("store.db").toString(), sql).deadline(Duration.ofSeconds(20)).check();
    }

    /** The text stored under {@code key}, if the store can be read this way and holds it. */
    public static Optional<String> value(Nugatord daemon, String key) {
        Path db = daemon.stateDir().resolve("store.db");
        if (!Files.isExecutable(SQLITE3) || !Files.isRegularFile(db)) {
            return Optional.empty();
        }
        var result = Proc.of(SQLITE3.toString(), "-readonly", db.toString(),
                "select cast(value as text) from kv where key = cast(" + quote(key) + " as blob)").deadline(Duration.ofSeconds(20)).run();
        return result.succeeded() && !result.stdout().isBlank() ? Optional.of(result.stdout().strip()) : Optional.empty();
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
