package dev.nugator.store;

/** A write of a transaction. */
public sealed interface Op {
    record Put(String key, byte[] value) implements Op {}

    record Delete(String key) implements Op {}

    record DeletePrefix(String prefix) implements Op {}
}
