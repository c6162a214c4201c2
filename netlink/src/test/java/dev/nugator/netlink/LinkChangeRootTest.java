package dev.nugator.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@RootOnly
class LinkChangeRootTest {
    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @Test
    void setsMtuMacAndRenames() {
        var a = namespaces.create();
        a.rtnl().createVeth(VethSpec.of("ntla", "ntlb"));
        int index = a.rtnl().link("ntla").orElseThrow().index();

        a.rtnl().setMtu("ntla", 1400);
        a.rtnl().setMac("ntla", "02:11:22:33:44:55");
        a.rtnl().rename("ntla", "ntlrenamed");

        LinkInfo link = a.rtnl().link(index).orElseThrow();
        assertThat(link.name()).isEqualTo("ntlrenamed");
        assertThat(link.mtu()).isEqualTo(1400);
        assertThat(link.mac()).isEqualTo("02:11:22:33:44:55");
        assertThat(Ip.linkJson(a.name(), "ntlrenamed")).contains("\"mtu\":1400", "\"address\":\"02:11:22:33:44:55\"");
        assertThat(a.rtnl().link("ntla")).isEmpty();
    }

    @Test
    void aliasIsSetReadBackAndStaysWithTheDeviceAcrossAMove() {
        var a = namespaces.create();
        var b = namespaces.create();
        a.rtnl().createVeth(VethSpec.of("ntla", "ntlb"));
        assertThat(a.rtnl().link("ntla").orElseThrow().alias()).isEmpty();

        a.rtnl().setAlias("ntla", "nugator:0123456789abcdef:A");
        a.rtnl().moveTo("ntla", b.namespace(), "ntlmoved");

        assertThat(b.rtnl().link("ntlmoved").orElseThrow().alias()).isEqualTo("nugator:0123456789abcdef:A");
        assertThat(Ip.linkJson(b.name(), "ntlmoved")).contains("\"ifalias\":\"nugator:0123456789abcdef:A\"");
    }

    @Test
    void movesKeepingTheName() {
        var a = namespaces.create();
        var b = namespaces.create();
        a.rtnl().createVeth(VethSpec.of("ntla", "ntlb"));

        a.rtnl().moveTo("ntla", b.namespace(), null);

        assertThat(a.rtnl().link("ntla")).isEmpty();
        assertThat(b.rtnl().link("ntla")).isPresent();
    }

    @Test
    void movesAndRenamesInOneRequestEvenWhenTheOldNameIsTakenThere() {
        var a = namespaces.create();
        var b = namespaces.create();
        a.rtnl().createVeth(VethSpec.of("ntlpark", "ntlb"));
        b.rtnl().createVeth(VethSpec.of("ntlpark", "ntlother"));

        a.rtnl().moveTo("ntlpark", b.namespace(), "ntlin1");

        assertThat(a.rtnl().link("ntlpark")).isEmpty();
        LinkInfo moved = b.rtnl().link("ntlin1").orElseThrow();
        assertThat(moved.kind()).isEqualTo("veth");
        assertThat(moved.linkNetnsId()).isNotEqualTo(-1);
        assertThat(b.rtnl().link("ntlpark")).isPresent();
    }

    @Test
    void movingOntoATakenNameFailsAndLeavesTheLinkWhereItWas() {
        var a = namespaces.create();
        var b = namespaces.create();
        a.rtnl().createVeth(VethSpec.of("ntla", "ntlb"));
        b.rtnl().createVeth(VethSpec.of("ntla", "ntlc"));

        assertThatThrownBy(() -> a.rtnl().moveTo("ntla", b.namespace(), null))
                .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.errnoName()).isEqualTo("EEXIST"));
        assertThat(a.rtnl().link("ntla")).isPresent();
    }

    @Test
    void upAndDown() {
        var a = namespaces.create();
        a.rtnl().createVeth(VethSpec.of("ntla", "ntlb"));

        a.rtnl().setUp("ntla");
        assertThat(a.rtnl().link("ntla").orElseThrow().adminUp()).isTrue();
        a.rtnl().setDown("ntla");
        assertThat(a.rtnl().link("ntla").orElseThrow().adminUp()).isFalse();
    }

    @Test
    void enslavesToABridge() {
        var a = namespaces.create();
        a.rtnl().createLink("ntlbr", "bridge");
        a.rtnl().createVeth(VethSpec.of("ntla", "ntlb"));

        a.rtnl().setMaster("ntla", "ntlbr");
        assertThat(a.rtnl().link("ntla").orElseThrow().masterIndex())
                .isEqualTo(a.rtnl().link("ntlbr").orElseThrow().index());
        a.rtnl().setMaster("ntla", null);
        assertThat(a.rtnl().link("ntla").orElseThrow().masterIndex()).isZero();
    }

    @Test
    void listsEveryLink() {
        var a = namespaces.create();
        a.rtnl().createVeth(VethSpec.of("ntla", "ntlb"));

        assertThat(a.rtnl().links()).extracting(LinkInfo::name).containsExactlyInAnyOrder("lo", "ntla", "ntlb");
        assertThat(a.rtnl().links()).filteredOn(link -> link.name().equals("lo"))
                .singleElement().satisfies(lo -> assertThat(lo.kind()).isEmpty());
    }
}
