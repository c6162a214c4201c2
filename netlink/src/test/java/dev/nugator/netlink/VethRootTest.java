package dev.nugator.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@RootOnly
class VethRootTest {
    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @Test
    void createsEachEndInItsOwnNamespaceFromAThird() {
        var a = namespaces.create();
        var b = namespaces.create();
        var c = namespaces.create();

        c.rtnl().createVeth(VethSpec.of("ntla", "ntlb").inNamespace(a.namespace()).peerIn(b.namespace()));

        assertThat(a.rtnl().link("ntla")).get().satisfies(link -> {
            assertThat(link.kind()).isEqualTo("veth");
            assertThat(link.linkNetnsId()).isNotEqualTo(-1);
            assertThat(link.linkIndex()).isEqualTo(b.rtnl().link("ntlb").orElseThrow().index());
        });
        assertThat(c.rtnl().links()).extracting(LinkInfo::name).containsExactly("lo");
        assertThat(Ip.linkJson(b.name(), "ntlb")).contains("\"ifname\":\"ntlb\"", "\"info_kind\":\"veth\"");
    }

    @Test
    void peerWithoutNamespaceStaysInTheSocketsNamespace() {
        var a = namespaces.create();
        var b = namespaces.create();

        a.rtnl().createVeth(VethSpec.of("ntla", "ntlb").inNamespace(b.namespace()));

        assertThat(a.rtnl().link("ntlb")).isPresent();
        assertThat(b.rtnl().link("ntla")).isPresent();
        assertThat(a.rtnl().link("ntla")).isEmpty();
    }

    @Test
    void setsMtuAndBothMacs() {
        var a = namespaces.create();
        var b = namespaces.create();

        a.rtnl().createVeth(VethSpec.of("ntla", "ntlb").peerIn(b.namespace()).withMtu(9000)
                .withMac("02:00:00:00:00:0a").withPeerMac("02:00:00:00:00:0b"));

        LinkInfo end = a.rtnl().link("ntla").orElseThrow();
        LinkInfo peer = b.rtnl().link("ntlb").orElseThrow();
        assertThat(end.mtu()).isEqualTo(9000);
        assertThat(peer.mtu()).isEqualTo(9000);
        assertThat(end.mac()).isEqualTo("02:00:00:00:00:0a");
        assertThat(peer.mac()).isEqualTo("02:00:00:00:00:0b");
    }

    @Test
    void carrierIsUpOnlyWhileBothEndsAreUp() {
        var a = namespaces.create();
        var b = namespaces.create();
        a.rtnl().createVeth(VethSpec.of("ntla", "ntlb").peerIn(b.namespace()));

        a.rtnl().setUp("ntla");
        assertThat(a.rtnl().link("ntla").orElseThrow().carrier()).isFalse();
        b.rtnl().setUp("ntlb");
        assertThat(a.rtnl().link("ntla").orElseThrow()).satisfies(link -> {
            assertThat(link.adminUp()).isTrue();
            assertThat(link.carrier()).isTrue();
        });
        assertThat(b.rtnl().link("ntlb").orElseThrow().carrier()).isTrue();

        b.rtnl().setDown("ntlb");
        assertThat(a.rtnl().link("ntla").orElseThrow()).satisfies(link -> {
            assertThat(link.adminUp()).isTrue();
            // carrier changes at once; operState follows later (the kernel's linkwatch), so not asserted
            assertThat(link.carrier()).isFalse();
        });
    }

    @Test
    void anEchoedCreationReturnsTheFirstEndAsMadeWithItsPeersIndex() {
        var a = namespaces.create();
        var b = namespaces.create();

        LinkInfo made = a.rtnl().createVethEchoed(VethSpec.of("ntla", "ntlb").peerIn(b.namespace())
                .withMac("02:00:00:00:00:0a").withGroup(7).withAdminUp(true, false));
        a.rtnl().addAddress(made.index(), java.net.InetAddress.ofLiteral("192.0.2.9"), 30);

        LinkInfo read = a.rtnl().link("ntla").orElseThrow();
        assertThat(made.index()).isEqualTo(read.index());
        assertThat(made.mac()).isEqualTo("02:00:00:00:00:0a");
        assertThat(made.group()).isEqualTo(7);
        assertThat(made.linkIndex()).as("the peer's index, in the peer's namespace").isEqualTo(b.rtnl().link("ntlb").orElseThrow().index());
        assertThat(a.rtnl().addresses("ntla")).extracting(AddressInfo::address).contains(java.net.InetAddress.ofLiteral("192.0.2.9"));
    }

    @Test
    void aTakenNameIsEexistWithTheOperation() {
        var a = namespaces.create();
        a.rtnl().createVeth(VethSpec.of("ntla", "ntlb"));

        assertThatThrownBy(() -> a.rtnl().createVeth(VethSpec.of("ntla", "ntlc")))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.operation()).isEqualTo("create veth ntla/ntlc");
                    assertThat(e.errno()).isEqualTo(17);
                    assertThat(e.errnoName()).isEqualTo("EEXIST");
                });
        assertThat(a.rtnl().link("ntlc")).isEmpty();
    }

    @Test
    void deletingOneEndRemovesBoth() {
        var a = namespaces.create();
        var b = namespaces.create();
        a.rtnl().createVeth(VethSpec.of("ntla", "ntlb").peerIn(b.namespace()));

        a.rtnl().deleteLink("ntla");

        assertThat(a.rtnl().link("ntla")).isEmpty();
        assertThat(b.rtnl().link("ntlb")).isEmpty();
    }
}
