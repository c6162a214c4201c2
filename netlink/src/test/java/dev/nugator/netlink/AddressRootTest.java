package dev.nugator.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@RootOnly
class AddressRootTest {
    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @Test
    void addsListsAndRemovesIpv4AndIpv6() {
        var a = namespaces.create();
        a.rtnl().createVeth(VethSpec.of("ntla", "ntlb"));

        a.rtnl().addAddress("ntla", InetAddress.ofLiteral("192.168.2.100"), 24);
        a.rtnl().addAddress("ntla", InetAddress.ofLiteral("fd00::64"), 64);

        assertThat(a.rtnl().addresses("ntla")).extracting(AddressInfo::cidr)
                .containsExactlyInAnyOrder("192.168.2.100/24", "fd00:0:0:0:0:0:0:64/64");
        assertThat(a.rtnl().addresses()).filteredOn(address -> address.ifname().equals("ntla")).hasSize(2);
        assertThat(Ip.addressJson(a.name(), "ntla"))
                .contains("\"local\":\"192.168.2.100\",\"prefixlen\":24", "\"local\":\"fd00::64\",\"prefixlen\":64");

        a.rtnl().removeAddress("ntla", InetAddress.ofLiteral("192.168.2.100"), 24);
        a.rtnl().removeAddress("ntla", InetAddress.ofLiteral("fd00::64"), 64);
        assertThat(a.rtnl().addresses("ntla")).isEmpty();
    }

    @Test
    void findsTheInterfaceHoldingAnAddressAmongOthers() {
        var a = namespaces.create();
        a.rtnl().createVeth(VethSpec.of("ntla", "ntlb"));
        a.rtnl().addAddress("ntla", InetAddress.ofLiteral("192.168.2.100"), 24);
        a.rtnl().addAddress("ntlb", InetAddress.ofLiteral("192.168.3.1"), 24);
        a.rtnl().addAddress("ntlb", InetAddress.ofLiteral("fd00::3"), 64);

        assertThat(a.rtnl().indexHolding(InetAddress.ofLiteral("192.168.3.1"))).hasValue(a.rtnl().link("ntlb").orElseThrow().index());
        assertThat(a.rtnl().indexHolding(InetAddress.ofLiteral("fd00::3"))).hasValue(a.rtnl().link("ntlb").orElseThrow().index());
        assertThat(a.rtnl().indexHolding(InetAddress.ofLiteral("192.168.2.100"))).hasValue(a.rtnl().link("ntla").orElseThrow().index());
        assertThat(a.rtnl().indexHolding(InetAddress.ofLiteral("192.168.2.101"))).isEmpty();
    }

    @Test
    void anIpv6AddressIsUsableAtOnce() {
        var a = namespaces.create();
        var b = namespaces.create();
        a.rtnl().createVeth(VethSpec.of("ntla", "ntlb").peerIn(b.namespace()));
        a.rtnl().setUp("ntla");
        b.rtnl().setUp("ntlb");

        a.rtnl().addAddress("ntla", InetAddress.ofLiteral("fd00::1"), 64);

        // Only our address is checked: the kernel's own link-local one does run DAD.
        String ours = Ip.addressJson(a.name(), "ntla").replaceAll(".*(\\{[^{}]*\"fd00::1\"[^{}]*}).*", "$1");
        assertThat(ours).contains("\"nodad\":true").doesNotContain("tentative");
    }

    @Test
    void anAddressTwiceIsEexist() {
        var a = namespaces.create();
        a.rtnl().createVeth(VethSpec.of("ntla", "ntlb"));
        a.rtnl().addAddress("ntla", InetAddress.ofLiteral("10.1.1.1"), 24);

        assertThatThrownBy(() -> a.rtnl().addAddress("ntla", InetAddress.ofLiteral("10.1.1.1"), 24))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.operation()).isEqualTo("add address 10.1.1.1/24 to ntla");
                    assertThat(e.errnoName()).isEqualTo("EEXIST");
                });
    }

    @Test
    void badAddressesCarryTheKernelsReason() {
        var a = namespaces.create();
        a.rtnl().createVeth(VethSpec.of("ntla", "ntlb"));

        assertThatThrownBy(() -> a.rtnl().addAddress("ntla", InetAddress.ofLiteral("ff02::5"), 64))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.errnoName()).isEqualTo("EADDRNOTAVAIL");
                    assertThat(e.kernelMessage()).contains("multicast");
                });
        assertThatThrownBy(() -> a.rtnl().addAddress("ntla", InetAddress.ofLiteral("::"), 64))
                .isInstanceOfSatisfying(NetlinkException.class,
                        e -> assertThat(e.kernelMessage()).isEqualTo("ipv6: Invalid address"));
        assertThatThrownBy(() -> a.rtnl().removeAddress("ntla", InetAddress.ofLiteral("10.9.9.9"), 24))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.errnoName()).isEqualTo("EADDRNOTAVAIL");
                    assertThat(e.kernelMessage()).isEqualTo("ipv4: Address not found");
                });
        assertThatThrownBy(() -> a.rtnl().addAddress("ntla", InetAddress.ofLiteral("10.1.1.1"), 33))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("prefixLength:");
    }
}
