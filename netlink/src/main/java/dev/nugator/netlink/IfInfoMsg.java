package dev.nugator.netlink;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over {@code struct ifinfomsg}, the fixed part of every RTM_*LINK message and of a veth's
 * VETH_INFO_PEER attribute.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+-------------------------------+
 *  |  ifi_family   |   (padding)   |     ifi_type (ARPHRD_*)       |
 *  +---------------+---------------+-------------------------------+
 *  |                    ifi_index (0 = look up by IFLA_IFNAME)     |
 *  +---------------------------------------------------------------+
 *  |                    ifi_flags (IFF_*)                          |
 *  +---------------------------------------------------------------+
 *  |                    ifi_change (which IFF_* bits to apply)     |
 *  +---------------------------------------------------------------+
 * </pre>
 */
final class IfInfoMsg {
    static final int FAMILY_OFFSET = 0;
    static final int TYPE_OFFSET = 2;
    static final int INDEX_OFFSET = 4;
    static final int FLAGS_OFFSET = 8;
    static final int CHANGE_OFFSET = 12;
    static final int SIZE = 16;

    static final int IFF_UP = 0x1;
    static final int IFF_LOWER_UP = 0x10000;

    private final MemorySegment segment;
    private final long offset;

    IfInfoMsg(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
    }

    int family() {
        return Byte.toUnsignedInt(segment.get(JAVA_BYTE, offset + FAMILY_OFFSET));
    }

    int type() {
        return Short.toUnsignedInt(segment.get(JAVA_SHORT_UNALIGNED, offset + TYPE_OFFSET));
    }

    int index() {
        return segment.get(JAVA_INT_UNALIGNED, offset + INDEX_OFFSET);
    }

    int flags() {
        return segment.get(JAVA_INT_UNALIGNED, offset + FLAGS_OFFSET);
    }

    IfInfoMsg index(int index) {
        segment.set(JAVA_INT_UNALIGNED, offset + INDEX_OFFSET, index);
        return this;
    }

    IfInfoMsg flags(int flags) {
        segment.set(JAVA_INT_UNALIGNED, offset + FLAGS_OFFSET, flags);
        return this;
    }

    IfInfoMsg change(int change) {
        segment.set(JAVA_INT_UNALIGNED, offset + CHANGE_OFFSET, change);
        return this;
    }
}
