package dev.nugator.netlink;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.util.Set;

/** Handles one reply message addressed to the current request; true when the reply is complete. */
@FunctionalInterface
interface ReplyHandler {
    boolean handle(NlMsgHdr message);

    /** An NLMSG_ERROR with a non-zero code is the kernel's refusal; zero is the ACK. */
    static void throwIfError(String operation, MemorySegment segment, NlMsgHdr message) {
        NlMsgErr error = new NlMsgErr(segment, message);
        if (error.errno() != 0) {
            throw new NetlinkException(operation, error.errno(), error.kernelMessage());
        }
    }

    /**
     * The errno of an NLMSG_ERROR message (0: an ACK) when it is 0 or one of {@code expected}, the
     * answers a caller takes as "nothing there" or "nothing to do"; any other refusal throws as
     * {@link #throwIfError} does.
     */
    static int errnoIfExpected(String operation, MemorySegment segment, NlMsgHdr message, Set<Errno> expected) {
        int code = new NlMsgErr(segment, message).errno();
        Errno known = Errno.byNumber(code);
        if (code != 0 && (known == null || !expected.contains(known))) {
            throwIfError(operation, segment, message);
        }
        return code;
    }

    /** NLMSG_DONE carries the dump's own result as an int: negative when it failed midway. */
    static void throwIfDumpFailed(String operation, MemorySegment segment, NlMsgHdr message) {
        if (message.length() >= NlMsgHdr.SIZE + 4) {
            int result = segment.get(JAVA_INT_UNALIGNED, message.payloadOffset());
            if (result < 0) {
                throw new NetlinkException(operation, -result, null);
            }
        }
    }
}
