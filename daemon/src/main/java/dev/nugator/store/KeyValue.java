package dev.nugator.store;

import java.nio.charset.StandardCharsets;

/** A stored key with its value and the revisions that created and last modified it. */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision) {
    public String text() {
        return new String(value, StandardCharsets.UTF_8);
    }
}
