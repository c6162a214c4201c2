package dev.nugator.netlink;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;

/**
 * An NLMSG_ERROR as the kernel shapes it (the errno, then the echoed request header, whole or
 * capped, then extended-ack attributes) with any flags, lengths and attributes, in a buffer that
 * ends where the message ends: errno, sequence number, text and blamed offset are read without
 * reading outside the message, and a non-zero errno becomes a {@link NetlinkException} carrying it
 * and the kernel's text. Messages too short for struct nlmsgerr are {@link NetlinkReplyFuzzTest}'s.
 */
class NlMsgErrFuzzTest {
    private static final int NLMSGERR_SIZE = 4 + NlMsgHdr.SIZE;

    @FuzzTest
    void anyErrorReplyGivesItsErrnoAndText(FuzzedDataProvider data) {
        int flags = data.consumeBoolean() ? data.consumeInt(0, 0xffff) : data.pickValue(new Integer[] {
            0, NlMsgHdr.NLM_F_CAPPED, NlMsgHdr.NLM_F_ACK_TLVS, NlMsgHdr.NLM_F_CAPPED | NlMsgHdr.NLM_F_ACK_TLVS});
        int errno = data.consumeBoolean() ? -data.consumeInt(0, 140) : data.consumeInt();
        int echoedLength = data.consumeBoolean() ? NlMsgHdr.SIZE + 4 * data.consumeInt(0, 16) : data.consumeInt();
        int seq = data.consumeInt();
        byte[] rest = data.consumeRemainingAsBytes();

        MemorySegment message = MemorySegment.ofArray(new byte[NlMsgHdr.SIZE + NLMSGERR_SIZE + rest.length]);
        new NlMsgHdr(message, 0).length((int) message.byteSize()).type(NlMsgHdr.NLMSG_ERROR).flags(flags);
        message.set(JAVA_INT_UNALIGNED, NlMsgHdr.SIZE, errno);
        new NlMsgHdr(message, NlMsgHdr.SIZE + 4).length(echoedLength).seq(seq);
        MemorySegment.copy(MemorySegment.ofArray(rest), 0, message, NlMsgHdr.SIZE + NLMSGERR_SIZE, rest.length);
        NlMsgHdr header = new NlMsgHdr(message, 0);

        var error = new NlMsgErr(message, header);
        assertThat(error.errno()).isEqualTo(-errno);
        assertThat(error.requestSeq()).isEqualTo(seq);
        String text = error.kernelMessage();
        error.badAttributeOffset();

        if (errno == 0) {
            ReplyHandler.throwIfError("fuzz", message, header);
        } else {
            assertThatThrownBy(() -> ReplyHandler.throwIfError("fuzz", message, header))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> {
                        assertThat(e.errno()).isEqualTo(-errno);
                        assertThat(e.kernelMessage()).isEqualTo(text);
                    });
        }
    }
}
