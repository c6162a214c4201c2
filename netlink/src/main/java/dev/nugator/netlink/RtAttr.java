package dev.nugator.netlink;

import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over a routing attribute header ({@code struct rtattr}, the same as {@code nlattr}).
 * Attributes start on 4-byte boundaries only, which is why every access here is unaligned.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-+-+---------------------------+
 *  |  rta_len (header + value)     |N|O|  rta_type                 |
 *  +-------------------------------+-+-+---------------------------+
 *  |  value (rta_len - 4 bytes), then zero padding to 4 bytes ...  |
 *  N = NLA_F_NESTED, O = NLA_F_NET_BYTEORDER (both masked off by type())
 * </pre>
 */
final class RtAttr {
    static final int LENGTH_OFFSET = 0;
    static final int TYPE_OFFSET = 2;
    static final int SIZE = 4;
    static final int TYPE_MASK = 0x3fff;
    /** Set on a nested attribute's type by iproute2 for action options; we write it the same way. */
    static final int NLA_F_NESTED = 0x8000;

    private final MemorySegment segment;
    private final long offset;

    RtAttr(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
    }

    int length() {
        return Short.toUnsignedInt(segment.get(JAVA_SHORT_UNALIGNED, offset + LENGTH_OFFSET));
    }

    int type() {
        return Short.toUnsignedInt(segment.get(JAVA_SHORT_UNALIGNED, offset + TYPE_OFFSET)) & TYPE_MASK;
    }

    /** The value without header or padding. */
    MemorySegment value() {
        return segment.asSlice(offset + SIZE, length() - SIZE);
    }

    /** Where the next attribute starts: after this one's padding. */
    long next() {
        return offset + NlMsgHdr.align(length());
    }

    RtAttr length(int length) {
        segment.set(JAVA_SHORT_UNALIGNED, offset + LENGTH_OFFSET, (short) length);
        return this;
    }

    RtAttr type(int type) {
        segment.set(JAVA_SHORT_UNALIGNED, offset + TYPE_OFFSET, (short) type);
        return this;
    }
}
