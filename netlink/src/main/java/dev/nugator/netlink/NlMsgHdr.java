package dev.nugator.netlink;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over a netlink message header ({@code struct nlmsghdr}), host byte order.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  nlmsg_len (header + payload)                 |
 *  +-------------------------------+-------------------------------+
 *  |          nlmsg_type           |          nlmsg_flags          |
 *  +-------------------------------+-------------------------------+
 *  |                           nlmsg_seq                           |
 *  +---------------------------------------------------------------+
 *  |                nlmsg_pid (sender's port id)                   |
 *  +---------------------------------------------------------------+
 *  |                payload, padded to 4 bytes ...                 |
 * </pre>
 */
final class NlMsgHdr {
    static final int LENGTH_OFFSET = 0;
    static final int TYPE_OFFSET = 4;
    static final int FLAGS_OFFSET = 6;
    static final int SEQ_OFFSET = 8;
    static final int PID_OFFSET = 12;
    static final int SIZE = 16;

    static final int NLMSG_NOOP = 1;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLMSG_OVERRUN = 4;

    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_MULTI = 0x2;
    static final int NLM_F_ACK = 0x4;
    /** Asks the kernel to send the requester what it notifies others of (the object made), before the ACK. */
    static final int NLM_F_ECHO = 0x8;
    static final int NLM_F_DUMP_INTR = 0x10;
    static final int NLM_F_DUMP = 0x300;
    /** On a NEW request: change the object in place if it exists (same bit as NLM_F_CAPPED on an error). */
    static final int NLM_F_REPLACE = 0x100;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    /** On NLMSG_ERROR: the echoed request was cut to its header (we ask for that: NETLINK_CAP_ACK). */
    static final int NLM_F_CAPPED = 0x100;
    /** On NLMSG_ERROR: extended-ack attributes follow the echoed request. */
    static final int NLM_F_ACK_TLVS = 0x200;

    private final MemorySegment segment;
    private final long offset;

    NlMsgHdr(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
    }

    static int align(int length) {
        return (length + 3) & ~3;
    }

    long offset() {
        return offset;
    }

    int length() {
        return segment.get(JAVA_INT_UNALIGNED, offset + LENGTH_OFFSET);
    }

    int type() {
        return Short.toUnsignedInt(segment.get(JAVA_SHORT_UNALIGNED, offset + TYPE_OFFSET));
    }

    int flags() {
        return Short.toUnsignedInt(segment.get(JAVA_SHORT_UNALIGNED, offset + FLAGS_OFFSET));
    }

    int seq() {
        return segment.get(JAVA_INT_UNALIGNED, offset + SEQ_OFFSET);
    }

    int pid() {
        return segment.get(JAVA_INT_UNALIGNED, offset + PID_OFFSET);
    }

    /** Where the payload starts in the segment. */
    long payloadOffset() {
        return offset + SIZE;
    }

    /** Where this message ends in the segment (unpadded). */
    long end() {
        return offset + length();
    }

    NlMsgHdr length(int length) {
        segment.set(JAVA_INT_UNALIGNED, offset + LENGTH_OFFSET, length);
        return this;
    }

    NlMsgHdr type(int type) {
        segment.set(JAVA_SHORT_UNALIGNED, offset + TYPE_OFFSET, (short) type);
        return this;
    }

    NlMsgHdr flags(int flags) {
        segment.set(JAVA_SHORT_UNALIGNED, offset + FLAGS_OFFSET, (short) flags);
        return this;
    }

    NlMsgHdr seq(int seq) {
        segment.set(JAVA_INT_UNALIGNED, offset + SEQ_OFFSET, seq);
        return this;
    }

    NlMsgHdr pid(int pid) {
        segment.set(JAVA_INT_UNALIGNED, offset + PID_OFFSET, pid);
        return this;
    }
}
