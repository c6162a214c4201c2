package dev.nugator.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcFilterParserTest {
    /**
     * A real dump of clsact's ingress on kernel 6.18 after {@code tc filter replace dev xa ingress
     * prio 1 handle 800::800 protocol all u32 match u32 0 0 action mirred egress redirect dev xb}
     * (xa #3, xb #2), read with strace from {@code tc filter show}: the classifier, its hash table
     * 800:, then node 800::800 with its selector, flags and the mirred action with its statistics.
     */
    private static final List<String> KERNEL_DUMP = List.of("""
            34000000 2c00 0200 35100e6b 840d0000
            00000000 03000000 00000000 f2ffffff 00030100
            0800 0100 75333200
            0800 0b00 00000000
            """, """
            40000000 2c00 0200 35100e6b 840d0000
            00000000 03000000 00000080 f2ffffff 00030100
            0800 0100 75333200
            0800 0b00 00000000
            0c00 0200
              0800 0400 01000000
            """, """
            14010000 2c00 0200 35100e6b 840d0000
            00000000 03000000 00080080 f2ffffff 00030100
            0800 0100 75333200
            0800 0b00 00000000
            e000 0200
              2400 0500 01000100 00000000 00000000 00000000 00000000 00000000 00000000 00000000
              0800 0200 00000080
              0800 0b00 08000000
              a800 0700
                a400 0100
                  0b00 0100 6d6972726564 0000
                  4400 0400
                    1400 0100 00000000 00000000 00000000 00000000
                    1400 0700 00000000 00000000 00000000 00000000
                    1800 0300 00000000 00000000 00000000 00000000 00000000
                  0800 0a00 00000000
                  4800 0200
                    2000 0200 01000000 00000000 04000000 01000000 01000000 01000000 02000000
                    2400 0100 01000000 00000000 01000000 00000000 00000000 00000000 00000000 00000000
            """);

    @Test
    void onlyTheNodeOfARealDumpCarriesTheRedirect() {
        List<TcFilter> filters = KERNEL_DUMP.stream().map(TcFilterParserTest::parse).toList();

        assertThat(filters).containsExactly(
                new TcFilter(0, 1, 0x0300, "u32", 0),
                new TcFilter(0x80000000, 1, 0x0300, "u32", 0),
                new TcFilter(0x80000800, 1, 0x0300, "u32", 2));
        assertThat(filters).filteredOn(TcFilter::isIngressRedirect).extracting(TcFilter::redirectIfindex)
                .containsExactly(2);
    }

    @Test
    void readsBackWhatWeSend() {
        MemorySegment request = TcRequests.redirectIngress(MessageWriter.onHeap(512), 1, 5, 9);

        assertThat(TcFilterParser.parse(request, new NlMsgHdr(request, 0)))
                .isEqualTo(new TcFilter(0x80000800, 1, 0x0300, "u32", 9));
    }

    @Test
    void aMirrorOrAnotherKindIsNoRedirect() {
        String mirror = redirectNode().replace("01000000 09000000", "02000000 09000000");
        String flower = redirectNode().replace("75333200", "666c6f77");

        assertThat(parse(mirror).redirectIfindex()).isZero();
        assertThat(parse(flower).kind()).isEqualTo("flow");
        assertThat(parse(flower).isIngressRedirect()).isFalse();
    }

    @Test
    void malformedLengthsAreNeverReadPast() {
        // mirred's parameters cut to 24 bytes: too short for struct tc_mirred, so ignored
        String shortParms = redirectNode().replace("2000 0200 00000000", "1c00 0200 00000000");
        // a nested length running past the message ends the walk there
        String overrun = redirectNode().replace("6000 0200", "ff00 0200");
        String noTcmsg = "18000000 2c00 0200 01000000 00000000 00000000 03000000";

        assertThat(parse(shortParms).redirectIfindex()).isZero();
        assertThat(parse(overrun).redirectIfindex()).isZero();
        assertThat(parse(noTcmsg)).isEqualTo(TcFilter.MALFORMED);
    }

    /** Our own request for #5 → #9, as hex with spaces where the test edits it. */
    private static String redirectNode() {
        return """
                8c000000 2c00 0505 02000000 00000000
                00000000 05000000 00080080 f2ffffff 00030100
                0800 0100 75333200
                6000 0200
                  3800 0700
                    3400 0100
                      0b00 0100 6d6972726564 0000
                      2400 0280
                        2000 0200 00000000 00000000 04000000 00000000 00000000 01000000 09000000
                  2400 0500 01000100 00000000 00000000 00000000 00000000 00000000 00000000 00000000
                """;
    }

    private static TcFilter parse(String hex) {
        MemorySegment message = Bytes.segment(hex);
        return TcFilterParser.parse(message, new NlMsgHdr(message, 0));
    }
}
