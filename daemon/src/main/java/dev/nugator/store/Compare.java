package dev.nugator.store;

/** A condition of a transaction. */
public sealed interface Compare {
    String key();

    /** The key's mod revision equals {@code expected}; 0 means the key does not exist. */
    record ModRevision(String key, long expected) implements Compare {}

    record Exists(String key) implements Compare {}

    record Absent(String key) implements Compare {}
}
