package dev.nugator.netlink;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;

/** Hex in tests: written with spaces and '|' between fields, compared as plain bytes. */
final class Bytes {
    private Bytes() {}

    static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replaceAll("[\\s|]", ""));
    }

    static String hex(MemorySegment segment) {
        return HexFormat.of().formatHex(segment.toArray(ValueLayout.JAVA_BYTE));
    }

    /** The same bytes as {@link #hex(String)} gives, in the form {@link #hex(MemorySegment)} prints. */
    static String normalized(String spaced) {
        return HexFormat.of().formatHex(hex(spaced));
    }

    static MemorySegment segment(String spaced) {
        return MemorySegment.ofArray(hex(spaced));
    }
}
