package dev.nugator.netlink;

import static dev.nugator.netlink.Bytes.hex;
import static dev.nugator.netlink.Bytes.normalized;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * The exact bytes of link requests. Compared with iproute2's (captured with strace on this machine),
 * ours differ only in carrying the NUL after IFLA_INFO_KIND, as the kernel's own messages do.
 */
class LinkRequestsTest {
    private final MessageWriter writer = MessageWriter.onHeap(1024);

    @Test
    void vethWithPeer() {
        String expected = """
                5c000000 1000 0506 01000000 00000000
                00 00 0000 00000000 00000000 00000000
                0800 0300 696e3100
                3400 1200
                  0900 0100 76657468 00 000000
                  2400 0200
                    2000 0100
                      00 00 0000 00000000 00000000 00000000
                      0b00 0300 6e7031323334 00 00
                """;

        assertThat(hex(LinkRequests.newVeth(writer, 1, VethSpec.of("in1", "np1234"))))
                .isEqualTo(normalized(expected));
    }

    @Test
    void vethWithMtuMacsAndNamespaces() throws Exception {
        try (NetNamespace self = NetNamespace.open(java.nio.file.Path.of("/proc/self/ns/net"))) {
            String fd = String.format("%02x000000", self.fd());
            VethSpec spec = VethSpec.of("a", "b").inNamespace(self).peerIn(self).withMtu(9000)
                    .withMac("02:00:00:00:00:0a").withPeerMac("02:00:00:00:00:0b");
            String expected = """
                    90000000 1000 0506 02000000 00000000
                    00000000 00000000 00000000 00000000
                    0600 0300 6100 0000
                    0800 0400 28230000
                    0a00 0100 02000000000a 0000
                    0800 1c00 %1$s
                    4c00 1200
                      0900 0100 76657468 00 000000
                      3c00 0200
                        3800 0100
                          00000000 00000000 00000000 00000000
                          0600 0300 6200 0000
                          0800 0400 28230000
                          0a00 0100 02000000000b 0000
                          0800 1c00 %1$s
                    """.formatted(fd);

            assertThat(hex(LinkRequests.newVeth(writer, 2, spec))).isEqualTo(normalized(expected));
        }
    }

    @Test
    void vxlanWithBigEndianPortAndAddresses() {
        VxlanSpec spec = VxlanSpec.of("vx0", 42).withRemote(InetAddress.ofLiteral("10.0.0.2"))
                .withLocal(InetAddress.ofLiteral("10.0.0.1")).withUnderlay(3).withMtu(1450);
        String expected = """
                74000000 1000 0506 03000000 00000000
                00000000 00000000 00000000 00000000
                0800 0300 76783000
                0800 0400 aa050000
                4400 1200
                  0a00 0100 7678 6c61 6e00 0000
                  3400 0200
                    0800 0100 2a000000
                    0800 0200 0a000002
                    0800 0400 0a000001
                    0800 0300 03000000
                    0600 0f00 12b5 0000
                    0500 0700 01 000000
                """;

        assertThat(hex(LinkRequests.newVxlan(writer, 3, spec))).isEqualTo(normalized(expected));
    }

    @Test
    void vxlanRemoteChangeCarriesOnlyTheKindAndTheRemote() {
        String expected = """
                50000000 1000 0500 04000000 00000000
                00000000 00000000 00000000 00000000
                0800 0300 76783000
                2800 1200
                  0a00 0100 7678 6c61 6e00 0000
                  1800 0200
                    1400 1000 fd000000000000000000000000000003
                """;

        assertThat(hex(LinkRequests.setVxlanRemote(writer, 4, "vx0", InetAddress.ofLiteral("fd00::3"))))
                .isEqualTo(normalized(expected));
    }

    @Test
    void upAndDownChangeOnlyIffUpOfTheNamedLink() {
        String up = """
                28000000 1000 0500 05000000 00000000
                00 00 0000 00000000 01000000 01000000
                0800 0300 696e3100
                """;
        assertThat(hex(LinkRequests.setUp(writer, 5, "in1", true))).isEqualTo(normalized(up));
        assertThat(hex(LinkRequests.setUp(writer, 5, "in1", false)))
                .isEqualTo(normalized(up.replace("01000000 01000000", "00000000 01000000")));
    }

    @Test
    void moveAndRenameInOneRequestByIndex() {
        String expected = """
                30000000 1000 0500 06000000 00000000
                00 00 0000 07000000 00000000 00000000
                0800 0300 696e3200
                0800 1c00 09000000
                """;

        assertThat(hex(LinkRequests.moveRenamed(writer, 6, 7, 9, "in2"))).isEqualTo(normalized(expected));
    }

    @Test
    void deleteByName() {
        String expected = """
                28000000 1100 0500 08000000 00000000
                00000000 00000000 00000000 00000000
                0800 0300 696e3100
                """;

        assertThat(hex(LinkRequests.delete(writer, 8, "in1"))).isEqualTo(normalized(expected));
    }

    @Test
    void dumpAsksForEveryLink() {
        assertThat(hex(LinkRequests.dump(writer, 9)))
                .isEqualTo(normalized("""
                        28000000 1200 0103 09000000 00000000
                        00000000 00000000 00000000 00000000
                        0800 1d00 08000000
                        """));
    }

    /** As iproute2 looks a name up (strace), but skipping only the counters, not the VF details. */
    @Test
    void lookupByNameSkipsTheCounters() {
        assertThat(hex(LinkRequests.getByName(writer, 10, "in1"))).isEqualTo(normalized("""
                30000000 1200 0100 0a000000 00000000
                00000000 00000000 00000000 00000000
                0800 1d00 08000000
                0800 0300 696e3100
                """));
    }

    /**
     * As {@code ip link add in1 up group 5 type veth peer name np1234 group 6} (strace): iproute2
     * writes IFLA_GROUP before IFLA_IFNAME, which the kernel does not mind. Only the first end's
     * ifinfomsg says IFF_UP: with IFF_UP in the peer's too, the kernel refuses the whole request
     * with ENOTCONN (as {@code ip link add a up type veth peer name b up} shows on 6.18).
     */
    @Test
    void vethWithGroupsAndTheFirstEndUp() {
        String expected = """
                6c000000 1000 0506 0b000000 00000000
                00 00 0000 00000000 01000000 01000000
                0800 0300 696e3100
                0800 1b00 05000000
                3c00 1200
                  0900 0100 76657468 00 000000
                  2c00 0200
                    2800 0100
                      00 00 0000 00000000 00000000 00000000
                      0b00 0300 6e7031323334 00 00
                      0800 1b00 06000000
                """;
        VethSpec spec = VethSpec.of("in1", "np1234").withGroup(5).withPeerGroup(6).withAdminUp(true, true);

        assertThat(hex(LinkRequests.newVeth(writer, 11, spec))).isEqualTo(normalized(expected));
    }

    @Test
    void aPairWithDefaultGroupsAndDownEndsIsEncodedAsBefore() {
        VethSpec spec = VethSpec.of("in1", "np1234").withGroup(0).withPeerGroup(0).withAdminUp(false, false);

        assertThat(hex(LinkRequests.newVeth(writer, 1, spec)))
                .isEqualTo(hex(LinkRequests.newVeth(MessageWriter.onHeap(1024), 1, VethSpec.of("in1", "np1234"))));
    }

    /** As {@code ip link del group 5} (strace): byte for byte, but for the sequence number. */
    @Test
    void deleteByGroupHasNoIndexAndNoName() {
        String expected = """
                28000000 1100 0500 0c000000 00000000
                00000000 00000000 00000000 00000000
                0800 1b00 05000000
                """;

        assertThat(hex(LinkRequests.deleteGroup(writer, 12, 5))).isEqualTo(normalized(expected));
    }
}
