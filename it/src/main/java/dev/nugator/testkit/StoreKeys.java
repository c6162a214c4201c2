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
}
