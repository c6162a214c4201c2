package dev.nugator.netlink;

import static dev.nugator.netlink.Bytes.hex;
import static dev.nugator.netlink.Bytes.normalized;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The exact bytes of tc requests, laid out from the UAPI structs (tcmsg, tc_u32_sel, tc_u32_key,
 * tc_mirred). Checked on this machine against iproute2 6.1 with
 * {@code strace -e trace=sendmsg -xx -s 4096 tc ...}: apart from sequence numbers, clsact, the
 * filter delete and the u32 filter are byte for byte what tc sends, except that our filter asks
 * NLM_F_CREATE|NLM_F_REPLACE (0x500) where {@code tc filter replace} sends NLM_F_CREATE alone; the
 * dump differs from {@code tc filter show dev X ingress} only in tcm_info, where we name priority 1
 * and protocol all so the kernel skips other priorities.
 */
class TcRequestsTest {
    private final MessageWriter writer = MessageWriter.onHeap(1024);

    /** As {@code tc qdisc add dev X clsact}. */
    @Test
    void clsactHangsAtTheIngressParentWithHandleFfff() {
        String expected = """
                30000000 2400 0506 01000000 00000000
                00 00 0000 | 03000000 | 0000ffff | f1ffffff | 00000000
                0b00 0100 636c7361637400 00
                """;

        assertThat(hex(TcRequests.addClsact(writer, 1, 3))).isEqualTo(normalized(expected));
    }

    /**
     * As {@code tc filter replace dev X ingress prio 1 handle 800::800 protocol all u32 match u32 0 0
     * action mirred egress redirect dev Y}, with X #3 and Y #2.
     */
    @Test
    void u32FilterWithAMirredEgressRedirect() {
        String expected = """
                8c000000 2c00 0505 02000000 00000000
                00 00 0000 | 03000000 | 00080080 | f2ffffff | 00030100
                0800 0100 75333200
                6000 0200
                  3800 0700
                    3400 0100
                      0b00 0100 6d6972726564 00 00
                      2400 0280
                        2000 0200 00000000 00000000 04000000 00000000 00000000 01000000 02000000
                  2400 0500
                    01 00 01 00 | 0000 0000 | 0000 0000 | 00000000
                    00000000 | 00000000 | 00000000 | 00000000
                """;

        assertThat(hex(TcRequests.redirectIngress(writer, 2, 3, 2))).isEqualTo(normalized(expected));
    }

    /** As {@code tc filter del dev X ingress prio 1 protocol all}. */
    @Test
    void deleteNamesPriorityAndProtocolButNoKind() {
        String expected = """
                24000000 2d00 0500 03000000 00000000
                00 00 0000 | 03000000 | 00000000 | f2ffffff | 00030100
                """;

        assertThat(hex(TcRequests.deleteIngressFilter(writer, 3, 3))).isEqualTo(normalized(expected));
    }

    @Test
    void dumpOfTheIngressFiltersAtPriorityOne() {
        String expected = """
                24000000 2e00 0103 04000000 00000000
                00 00 0000 | 07000000 | 00000000 | f2ffffff | 00030100
                """;

        assertThat(hex(TcRequests.dumpIngressFilters(writer, 4, 7))).isEqualTo(normalized(expected));
    }

    @Test
    void theFilterHandleAndInfoAreWhatTcComputes() {
        // 800::800: hash table 0x800 in the top 12 bits, bucket 0, node 0x800 in the low 12 bits
        assertThat(Tca.U32_HANDLE).isEqualTo(0x800 << 20 | 0x800);
        // prio 1 << 16 | htons(ETH_P_ALL = 0x0003)
        assertThat(Tca.FILTER_INFO).isEqualTo(0x00010300);
        // TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS)
        assertThat(Tca.H_CLSACT_INGRESS).isEqualTo(Tca.H_CLSACT & 0xFFFF0000 | 0xFFF2);
    }
}
