package dev.nugator.netlink;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The attributes of one level of a message, indexed by type (last one wins, as in the kernel's
 * nla_parse). Malformed lengths end the walk instead of reading past the message: the kernel never
 * sends them, and a bug here must not turn into reading foreign memory.
 */
final class Attributes {
    /** Types above this are ignored: no attribute we read is numbered that high. */
    static final int MAX_TYPE = 127;
    private static final java.lang.foreign.ValueLayout.OfShort BE16 =
            JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MemorySegment[] values = new MemorySegment[MAX_TYPE + 1];

    private Attributes() {}

    static Attributes parse(MemorySegment segment, long from, long to) {
        Attributes attributes = new Attributes();
        long at = from;
        while (at + RtAttr.SIZE <= to) {
            RtAttr attribute = new RtAttr(segment, at);
            if (attribute.length() < RtAttr.SIZE || at + attribute.length() > to) {
                break;
            }
            if (attribute.type() <= MAX_TYPE) {
                attributes.values[attribute.type()] = attribute.value();
            }
            at = attribute.next();
        }
        return attributes;
    }

    boolean has(int type) {
        return values[type] != null;
    }

    MemorySegment value(int type) {
        return values[type];
    }

    int u32(int type, int absent) {
        MemorySegment value = values[type];
        return value == null || value.byteSize() < 4 ? absent : value.get(JAVA_INT_UNALIGNED, 0);
    }

    int u8(int type, int absent) {
        MemorySegment value = values[type];
        return value == null || value.byteSize() < 1 ? absent : Byte.toUnsignedInt(value.get(JAVA_BYTE, 0));
    }

    /** A 16-bit value in network byte order, such as IFLA_VXLAN_PORT. */
    int u16BigEndian(int type, int absent) {
        MemorySegment value = values[type];
        return value == null || value.byteSize() < 2 ? absent : Short.toUnsignedInt(value.get(BE16, 0));
    }

    /** A NUL-terminated (or unterminated) string, or null when absent. */
    String string(int type) {
        MemorySegment value = values[type];
        if (value == null) {
            return null;
        }
        byte[] bytes = value.toArray(JAVA_BYTE);
        int length = 0;
        while (length < bytes.length && bytes[length] != 0) {
            length++;
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    byte[] bytes(int type) {
        MemorySegment value = values[type];
        return value == null ? null : value.toArray(JAVA_BYTE);
    }

    /** The attributes nested in {@code type}, or an empty set when absent. */
    Attributes nested(int type) {
        MemorySegment value = values[type];
        return value == null ? new Attributes() : parse(value, 0, value.byteSize());
    }
}
