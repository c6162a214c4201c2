package dev.nugator.netlink;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Flyweight over the value of TCA_U32_SEL: {@code struct tc_u32_sel} followed by its keys, each a
 * {@code struct tc_u32_key}. A key matches when {@code (the 32 bits at off) & mask == val}; mask and
 * val are compared with packet bytes, hence big-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+---------------+---------------+
 *  |     flags     |   offshift    |     nkeys     |   (padding)   |
 *  +---------------+---------------+---------------+---------------+
 *  |     offmask (big-endian)      |              off              |
 *  +-------------------------------+-------------------------------+
 *  |            offoff             |             hoff              |
 *  +-------------------------------+-------------------------------+
 *  |                     hmask (big-endian)                        |
 *  +===============================================================+
 *  |  key 0: mask (big-endian)                                     |
 *  |         val (big-endian)                                      |
 *  |         off (signed)                                          |
 *  |         offmask (signed)                                      |
 *  +---------------------------------------------------------------+
 *  |  key 1 ... key nkeys-1, 16 bytes each                         |
 * </pre>
 */
final class U32Sel {
    static final int FLAGS_OFFSET = 0;
    static final int NKEYS_OFFSET = 2;
    static final int SIZE = 16;

    static final int KEY_MASK_OFFSET = 0;
    static final int KEY_VAL_OFFSET = 4;
    static final int KEY_OFF_OFFSET = 8;
    static final int KEY_OFFMASK_OFFSET = 12;
    static final int KEY_SIZE = 16;

    private static final ValueLayout.OfInt BE32 = JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MemorySegment segment;
    private final long offset;

    U32Sel(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
    }

    /** The bytes a selector with {@code keys} keys takes. */
    static int size(int keys) {
        return SIZE + keys * KEY_SIZE;
    }

    U32Sel flags(int flags) {
        segment.set(JAVA_BYTE, offset + FLAGS_OFFSET, (byte) flags);
        return this;
    }

    U32Sel nkeys(int nkeys) {
        segment.set(JAVA_BYTE, offset + NKEYS_OFFSET, (byte) nkeys);
        return this;
    }

    /** Fills key {@code index}; the space for it must have been reserved ({@link #size}). */
    U32Sel key(int index, int mask, int value, int off) {
        long key = offset + SIZE + (long) index * KEY_SIZE;
        segment.set(BE32, key + KEY_MASK_OFFSET, mask);
        segment.set(BE32, key + KEY_VAL_OFFSET, value);
        segment.set(JAVA_INT_UNALIGNED, key + KEY_OFF_OFFSET, off);
        segment.set(JAVA_INT_UNALIGNED, key + KEY_OFFMASK_OFFSET, 0);
        return this;
    }
}
