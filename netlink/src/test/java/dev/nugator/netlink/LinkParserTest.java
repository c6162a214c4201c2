package dev.nugator.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class LinkParserTest {
    @Test
    void readsAVxlanLinkWithItsPortBigEndian() {
        MessageWriter w = MessageWriter.onHeap(512);
        w.start(Rtm.NEWLINK, 0, 1).ifInfoMsg().index(4).flags(IfInfoMsg.IFF_UP | IfInfoMsg.IFF_LOWER_UP);
        w.string(Ifla.IFNAME, "vx0").u32(Ifla.MTU, 1450)
                .bytes(Ifla.ADDRESS, new byte[] {2, 0, 0, 0, 0, (byte) 0xab}).u8(Ifla.OPERSTATE, 6);
        int linkInfo = w.beginNested(Ifla.LINKINFO);
        w.string(Ifla.INFO_KIND, "vxlan");
        int data = w.beginNested(Ifla.INFO_DATA);
        VxlanAttributes.write(w, VxlanSpec.of("vx0", 42).withRemote(InetAddress.ofLiteral("10.0.0.2"))
                .withUnderlay(3).withPort(8472).withLearning(false));
        w.endNested(data);
        w.endNested(linkInfo);
        var message = w.finish();

        LinkInfo link = LinkParser.parse(message, new NlMsgHdr(message, 0));

        assertThat(link).isEqualTo(new LinkInfo(4, "vx0", "vxlan", "02:00:00:00:00:ab", 1450, true, true, "UP",
                0, -1, 0, new VxlanInfo(42, InetAddress.ofLiteral("10.0.0.2"), null, 3, 8472, false), "", 0));
    }

    @Test
    void carrierComesFromIflaCarrierWhenPresent() {
        MessageWriter w = MessageWriter.onHeap(128);
        w.start(Rtm.NEWLINK, 0, 1).ifInfoMsg().index(2).flags(IfInfoMsg.IFF_LOWER_UP);
        w.string(Ifla.IFNAME, "lo").u8(Ifla.CARRIER, 0).u32(Ifla.LINK, 9).u32(Ifla.LINK_NETNSID, 1);
        var message = w.finish();

        LinkInfo link = LinkParser.parse(message, new NlMsgHdr(message, 0));

        assertThat(link.carrier()).isFalse();
        assertThat(link.kind()).isEmpty();
        assertThat(link.mac()).isEmpty();
        assertThat(link.linkIndex()).isEqualTo(9);
        assertThat(link.linkNetnsId()).isEqualTo(1);
        assertThat(link.vxlan()).isNull();
    }

    @Test
    void readsIpv4FromIfaLocalAndIpv6FromIfaAddress() {
        MessageWriter w = MessageWriter.onHeap(128);
        w.start(Rtm.NEWADDR, 0, 1).ifAddrMsg().family(IfAddrMsg.AF_INET).prefixLength(31).index(5);
        w.bytes(Ifa.ADDRESS, new byte[] {10, 0, 0, 1}).bytes(Ifa.LOCAL, new byte[] {10, 0, 0, 0});
        var v4 = w.finish();
        assertThat(AddressParser.parse(v4, new NlMsgHdr(v4, 0), index -> "eth" + index))
                .isEqualTo(new AddressInfo(5, "eth5", InetAddress.ofLiteral("10.0.0.0"), 31));

        w.start(Rtm.NEWADDR, 0, 2).ifAddrMsg().family(IfAddrMsg.AF_INET6).prefixLength(64).index(6);
        w.bytes(Ifa.ADDRESS, InetAddress.ofLiteral("fd00::1").getAddress());
        var v6 = w.finish();
        assertThat(AddressParser.parse(v6, new NlMsgHdr(v6, 0), index -> null).cidr())
                .isEqualTo("fd00:0:0:0:0:0:0:1/64");
    }
}
