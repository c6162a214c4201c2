package dev.nugator.netlink;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over {@code struct ifaddrmsg}, the fixed part of every RTM_*ADDR message.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+---------------+---------------+
 *  |  ifa_family   | ifa_prefixlen |  ifa_flags    |  ifa_scope    |
 *  +---------------+---------------+---------------+---------------+
 *  |                    ifa_index (interface index)                |
 *  +---------------------------------------------------------------+
 * </pre>
 */
final class IfAddrMsg {
    static final int FAMILY_OFFSET = 0;
    static final int PREFIX_LENGTH_OFFSET = 1;
    static final int FLAGS_OFFSET = 2;
    static final int SCOPE_OFFSET = 3;
    static final int INDEX_OFFSET = 4;
    static final int SIZE = 8;

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    /** Skip duplicate address detection: an IPv6 address is usable at once, not "tentative". */
    static final int IFA_F_NODAD = 0x02;

    private final MemorySegment segment;
    private final long offset;

    IfAddrMsg(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
    }

    int family() {
        return Byte.toUnsignedInt(segment.get(JAVA_BYTE, offset + FAMILY_OFFSET));
    }

    int prefixLength() {
        return Byte.toUnsignedInt(segment.get(JAVA_BYTE, offset + PREFIX_LENGTH_OFFSET));
    }

    int flags() {
        return Byte.toUnsignedInt(segment.get(JAVA_BYTE, offset + FLAGS_OFFSET));
    }

    int scope() {
        return Byte.toUnsignedInt(segment.get(JAVA_BYTE, offset + SCOPE_OFFSET));
    }

    int index() {
        return segment.get(JAVA_INT_UNALIGNED, offset + INDEX_OFFSET);
    }

    IfAddrMsg family(int family) {
        segment.set(JAVA_BYTE, offset + FAMILY_OFFSET, (byte) family);
        return this;
    }

    IfAddrMsg prefixLength(int prefixLength) {
        segment.set(JAVA_BYTE, offset + PREFIX_LENGTH_OFFSET, (byte) prefixLength);
        return this;
    }

    IfAddrMsg flags(int flags) {
        segment.set(JAVA_BYTE, offset + FLAGS_OFFSET, (byte) flags);
        return this;
    }

    IfAddrMsg index(int index) {
        segment.set(JAVA_INT_UNALIGNED, offset + INDEX_OFFSET, index);
        return this;
    }
}
