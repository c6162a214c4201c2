package dev.nugator.netlink;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over {@code struct tc_mirred}, the value of TCA_MIRRED_PARMS: the generic action header
 * ({@code tc_gen}: index to refcnt) and where mirred sends the packet. Index 0 asks the kernel for a
 * new action; refcnt and bindcnt are the kernel's to report.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                    index                                      |
 *  +---------------------------------------------------------------+
 *  |                    capab                                      |
 *  +---------------------------------------------------------------+
 *  |                    action (TC_ACT_*: what follows the send)   |
 *  +---------------------------------------------------------------+
 *  |                    refcnt                                     |
 *  +---------------------------------------------------------------+
 *  |                    bindcnt                                    |
 *  +---------------------------------------------------------------+
 *  |                    eaction (TCA_EGRESS_REDIR, ...)            |
 *  +---------------------------------------------------------------+
 *  |                    ifindex (the target device)                |
 *  +---------------------------------------------------------------+
 * </pre>
 */
final class TcMirred {
    static final int ACTION_OFFSET = 8;
    static final int EACTION_OFFSET = 20;
    static final int IFINDEX_OFFSET = 24;
    static final int SIZE = 28;

    private final MemorySegment segment;
    private final long offset;

    TcMirred(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
    }

    int action() {
        return segment.get(JAVA_INT_UNALIGNED, offset + ACTION_OFFSET);
    }

    int eaction() {
        return segment.get(JAVA_INT_UNALIGNED, offset + EACTION_OFFSET);
    }

    int ifindex() {
        return segment.get(JAVA_INT_UNALIGNED, offset + IFINDEX_OFFSET);
    }

    TcMirred action(int action) {
        segment.set(JAVA_INT_UNALIGNED, offset + ACTION_OFFSET, action);
        return this;
    }

    TcMirred eaction(int eaction) {
        segment.set(JAVA_INT_UNALIGNED, offset + EACTION_OFFSET, eaction);
        return this;
    }

    TcMirred ifindex(int ifindex) {
        segment.set(JAVA_INT_UNALIGNED, offset + IFINDEX_OFFSET, ifindex);
        return this;
    }
}
