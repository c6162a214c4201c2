package dev.nugator.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** NLMSG_ERROR replies captured on this machine's kernel. */
class NlMsgErrTest {
    /** Our socket (NETLINK_CAP_ACK + NETLINK_EXT_ACK) asking for a "dummy" device, seq 7. */
    static final String CAPPED_UNKNOWN_DEVICE_TYPE = """
            3c000000 0200 0003 07000000 584bb9b3
            a1ffffff
            3c000000 1000 0506 07000000 00000000
            1800 0100 556e6b6e6f776e20646576696365207479706500
            """;

    /** iproute2 (no CAP_ACK: the whole request is echoed) asking for the same, seen with strace. */
    static final String UNCAPPED_UNKNOWN_DEVICE_TYPE = """
            64000000 0200 0002 c61f0b6b 061b0000
            a1ffffff
            38000000 1000 0506 c61f0b6b 00000000
            00000000 00000000 00000000 00000000
            0700 0300 64310000
            1000 1200 0900 0100 64756d6d79000000
            1800 0100 556e6b6e6f776e20646576696365207479706500
            """;

    /** Our socket removing an address that is not there, seq 8. */
    static final String ADDRESS_NOT_FOUND = """
            40000000 0200 0003 08000000 584bb9b3
            9dffffff
            28000000 1500 0500 08000000 00000000
            1c00 0100 697076343a2041646472657373206e6f7420666f756e6400
            """;

    @Test
    void cappedErrorWithExtendedAck() {
        NlMsgErr error = parse(CAPPED_UNKNOWN_DEVICE_TYPE);

        assertThat(error.errno()).isEqualTo(Errno.EOPNOTSUPP.number());
        assertThat(error.requestSeq()).isEqualTo(7);
        assertThat(error.kernelMessage()).isEqualTo("Unknown device type");
        assertThat(error.badAttributeOffset()).isEqualTo(-1);
    }

    @Test
    void uncappedErrorSkipsTheEchoedRequest() {
        NlMsgErr error = parse(UNCAPPED_UNKNOWN_DEVICE_TYPE);

        assertThat(error.errno()).isEqualTo(95);
        assertThat(error.kernelMessage()).isEqualTo("Unknown device type");
    }

    @Test
    void addressNotFound() {
        NlMsgErr error = parse(ADDRESS_NOT_FOUND);

        assertThat(Errno.nameOf(error.errno())).isEqualTo("EADDRNOTAVAIL");
        assertThat(error.kernelMessage()).isEqualTo("ipv4: Address not found");
    }

    @Test
    void anAckHasNoErrorAndNoMessage() {
        NlMsgErr ack = parse("24000000 0200 0001 09000000 584bb9b3 00000000 28000000 1000 0500 09000000 00000000");

        assertThat(ack.errno()).isZero();
        assertThat(ack.kernelMessage()).isNull();
    }

    private static NlMsgErr parse(String hex) {
        MemorySegment segment = Bytes.segment(hex);
        NlMsgHdr header = new NlMsgHdr(segment, 0);
        assertThat(header.type()).isEqualTo(NlMsgHdr.NLMSG_ERROR);
        assertThat(header.length()).isEqualTo((int) segment.byteSize());
        return new NlMsgErr(segment, header);
    }
}
