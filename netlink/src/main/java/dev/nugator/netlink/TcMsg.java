package dev.nugator.netlink;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over {@code struct tcmsg}, the fixed part of every RTM_*QDISC and RTM_*TFILTER message.
 * Handles are major:minor, 16 bits each.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+-------------------------------+
 *  |  tcm_family   |   (padding)   |          (padding)            |
 *  +---------------+---------------+-------------------------------+
 *  |                    tcm_ifindex                                |
 *  +---------------------------------------------------------------+
 *  |                    tcm_handle (the qdisc's or filter's own)   |
 *  +---------------------------------------------------------------+
 *  |                    tcm_parent (where it hangs)                |
 *  +-------------------------------+-------------------------------+
 *  |  tcm_info, filters: priority  |  protocol (network order)     |
 *  +-------------------------------+-------------------------------+
 * </pre>
 */
final class TcMsg {
    static final int FAMILY_OFFSET = 0;
    static final int IFINDEX_OFFSET = 4;
    static final int HANDLE_OFFSET = 8;
    static final int PARENT_OFFSET = 12;
    static final int INFO_OFFSET = 16;
    static final int SIZE = 20;

    private final MemorySegment segment;
    private final long offset;

    TcMsg(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
    }

    int ifindex() {
        return segment.get(JAVA_INT_UNALIGNED, offset + IFINDEX_OFFSET);
    }

    int handle() {
        return segment.get(JAVA_INT_UNALIGNED, offset + HANDLE_OFFSET);
    }

    int parent() {
        return segment.get(JAVA_INT_UNALIGNED, offset + PARENT_OFFSET);
    }

    int info() {
        return segment.get(JAVA_INT_UNALIGNED, offset + INFO_OFFSET);
    }

    TcMsg ifindex(int ifindex) {
        segment.set(JAVA_INT_UNALIGNED, offset + IFINDEX_OFFSET, ifindex);
        return this;
    }

    TcMsg handle(int handle) {
        segment.set(JAVA_INT_UNALIGNED, offset + HANDLE_OFFSET, handle);
        return this;
    }

    TcMsg parent(int parent) {
        segment.set(JAVA_INT_UNALIGNED, offset + PARENT_OFFSET, parent);
        return this;
    }

    TcMsg info(int info) {
        segment.set(JAVA_INT_UNALIGNED, offset + INFO_OFFSET, info);
        return this;
    }
}
