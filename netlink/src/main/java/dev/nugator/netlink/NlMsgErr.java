package dev.nugator.netlink;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over the payload of an NLMSG_ERROR message ({@code struct nlmsgerr}) and the
 * extended-ack attributes that follow it. error 0 is an ACK.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |             error (0 or a negative errno)                     |
 *  +---------------------------------------------------------------+
 *  |   the request's nlmsghdr (16 bytes); its payload too unless   |
 *  |   the reply's flags carry NLM_F_CAPPED                         |
 *  +---------------------------------------------------------------+
 *  |   if NLM_F_ACK_TLVS: NLMSGERR_ATTR_* attributes up to the end  |
 * </pre>
 */
final class NlMsgErr {
    static final int ERROR_OFFSET = 0;
    static final int REQUEST_OFFSET = 4;

    static final int NLMSGERR_ATTR_MSG = 1;
    static final int NLMSGERR_ATTR_OFFS = 2;

    private final MemorySegment segment;
    private final NlMsgHdr header;

    NlMsgErr(MemorySegment segment, NlMsgHdr header) {
        this.segment = segment;
        this.header = header;
    }

    /**
     * The positive errno; 0 for an ACK. A message too short to hold one (the kernel never sends
     * it) reads as EBADMSG: a refusal, never an ACK and never a read past its end.
     */
    int errno() {
        if (header.length() < NlMsgHdr.SIZE + REQUEST_OFFSET) {
            return Errno.EBADMSG.number();
        }
        return -segment.get(JAVA_INT_UNALIGNED, header.payloadOffset() + ERROR_OFFSET);
    }

    /** The sequence number of the request this answers; -1 when the message is too short to hold it. */
    int requestSeq() {
        if (header.length() < NlMsgHdr.SIZE + REQUEST_OFFSET + NlMsgHdr.SIZE) {
            return -1;
        }
        return new NlMsgHdr(segment, header.payloadOffset() + REQUEST_OFFSET).seq();
    }

    /** The kernel's extended-ack text, or null when it sent none. */
    String kernelMessage() {
        if ((header.flags() & NlMsgHdr.NLM_F_ACK_TLVS) == 0) {
            return null;
        }
        return extendedAck().string(NLMSGERR_ATTR_MSG);
    }

    /** Offset in the request of the attribute the kernel blamed, or -1. */
    int badAttributeOffset() {
        if ((header.flags() & NlMsgHdr.NLM_F_ACK_TLVS) == 0) {
            return -1;
        }
        return extendedAck().u32(NLMSGERR_ATTR_OFFS, -1);
    }

    /**
     * The attributes after the echoed request. Its length is the request's own word, taken only
     * within this message: an echo that claims to be shorter than a header, or to run past the
     * message, leaves no attributes to read.
     */
    private Attributes extendedAck() {
        long request = header.payloadOffset() + REQUEST_OFFSET;
        if (request + NlMsgHdr.SIZE > header.end()) {
            return Attributes.parse(segment, header.end(), header.end());
        }
        boolean capped = (header.flags() & NlMsgHdr.NLM_F_CAPPED) != 0;
        long echoed = capped ? NlMsgHdr.SIZE : Integer.toUnsignedLong(new NlMsgHdr(segment, request).length());
        long from = request + ((echoed + 3) & ~3L);
        if (echoed < NlMsgHdr.SIZE || from > header.end()) {
            return Attributes.parse(segment, header.end(), header.end());
        }
        return Attributes.parse(segment, from, header.end());
    }
}
