package dev.nugator.store;

/** One change seen by a watch. For a delete, {@code kv} holds the key, an empty value and the delete's revision. */
public record WatchEvent(Type type, KeyValue kv) {
    public enum Type { PUT, DELETE }
}
