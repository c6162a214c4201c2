package dev.nugator.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keys are stored as their UTF-8 bytes so that SQLite orders and ranges them byte by byte, exactly
 * as etcd does; a Java {@code String} comparison (UTF-16) would order some keys differently.
 */
final class KeyBytes {
    private KeyBytes() {}

    static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }

    /**
     * The first key after every key starting with {@code prefix} (etcd's {@code GetPrefixRangeEnd}),
     * or null when there is none: an empty prefix or one of only 0xff bytes has no upper bound.
     */
    static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xff) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return null;
    }
}
