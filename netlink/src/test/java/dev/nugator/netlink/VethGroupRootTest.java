package dev.nugator.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Interface groups and admin-up at creation, and removing a whole group with one request. */
@RootOnly
class VethGroupRootTest {
    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    /** From either end's namespace or a third one: the three ways VethCreation orders the work. */
    @ParameterizedTest
    @ValueSource(strings = {"first", "peer", "third"})
    void bothEndsUpInTheirGroupsWithCarrierAtOnce(String creator) {
        var a = namespaces.create();
        var b = namespaces.create();
        var c = namespaces.create();
        RtNetlink rtnl = switch (creator) {
            case "first" -> a.rtnl();
            case "peer" -> b.rtnl();
            default -> c.rtnl();
        };

        rtnl.createVeth(VethSpec.of("ntla", "ntlb").inNamespace(a.namespace()).peerIn(b.namespace())
                .withGroup(7).withPeerGroup(8).withAdminUp(true, true));

        assertThat(a.rtnl().link("ntla").orElseThrow()).satisfies(end -> {
            assertThat(end.adminUp()).isTrue();
            assertThat(end.carrier()).isTrue();
            assertThat(end.group()).isEqualTo(7);
        });
        assertThat(b.rtnl().link("ntlb").orElseThrow()).satisfies(peer -> {
            assertThat(peer.adminUp()).isTrue();
            assertThat(peer.carrier()).isTrue();
            assertThat(peer.group()).isEqualTo(8);
        });
        assertThat(Ip.linkJson(a.name(), "ntla")).contains("\"group\":\"7\"", "\"UP\"", "\"LOWER_UP\"");
        assertThat(Ip.linkJson(b.name(), "ntlb")).contains("\"group\":\"8\"", "\"UP\"", "\"LOWER_UP\"");
        assertThat(c.rtnl().links()).extracting(LinkInfo::name).containsExactly("lo");
    }

    @Test
    void onlyThePeerUpIsOneRequestWithTheEndsSwapped() {
        var a = namespaces.create();
        var b = namespaces.create();

        a.rtnl().createVeth(VethSpec.of("ntla", "ntlb").peerIn(b.namespace()).withGroup(3).withAdminUp(false, true));

        LinkInfo end = a.rtnl().link("ntla").orElseThrow();
        LinkInfo peer = b.rtnl().link("ntlb").orElseThrow();
        assertThat(end.adminUp()).isFalse();
        assertThat(end.group()).isEqualTo(3);
        assertThat(peer.adminUp()).isTrue();
        assertThat(peer.carrier()).isFalse();
        assertThat(peer.group()).isZero();
    }

    @Test
    void withoutGroupsOrAdminUpTheEndsAreDownInTheDefaultGroup() {
        var a = namespaces.create();

        a.rtnl().createVeth(VethSpec.of("ntla", "ntlb"));

        assertThat(a.rtnl().link("ntla").orElseThrow()).satisfies(end -> {
            assertThat(end.adminUp()).isFalse();
            assertThat(end.group()).isZero();
        });
        assertThat(Ip.linkJson(a.name(), "ntlb")).contains("\"group\":\"default\"");
    }

    @Test
    void oneRequestRemovesAGroupAndThePeersElsewhere() {
        var node = namespaces.create();
        var pods = namespaces.create();
        for (int i = 0; i < 3; i++) {
            node.rtnl().createVeth(VethSpec.of("ntlg" + i, "ntlp" + i).peerIn(pods.namespace())
                    .withGroup(40).withAdminUp(true, true));
        }
        node.rtnl().createVeth(VethSpec.of("ntlo", "ntlq").withGroup(41).withPeerGroup(41));

        node.rtnl().deleteGroup(40);

        assertThat(node.rtnl().links()).extracting(LinkInfo::name).containsExactlyInAnyOrder("lo", "ntlo", "ntlq");
        assertThat(pods.rtnl().links()).extracting(LinkInfo::name).containsExactly("lo");
        assertThat(Ip.run("-n", node.name(), "-br", "link", "show", "group", "40")).isBlank();

        node.rtnl().deleteGroup(40);
        assertThat(node.rtnl().links()).extracting(LinkInfo::name).containsExactlyInAnyOrder("lo", "ntlo", "ntlq");
    }

    @Test
    void anInterfaceMovedIntoAGroupDownGoesWithItsGroupAndBackInTheDefaultOneStays() {
        var node = namespaces.create();
        node.rtnl().createVeth(VethSpec.of("ntlr", "ntls").withAdminUp(true, true));
        node.rtnl().createVeth(VethSpec.of("ntlk", "ntlm").withAdminUp(true, true));

        assertThat(node.rtnl().setGroup("ntlr", 42, false)).isTrue();
        assertThat(node.rtnl().setGroup("ntlk", 42, false)).isTrue();
        assertThat(node.rtnl().setGroup("ntlk", 0, true)).isTrue();
        assertThat(node.rtnl().setGroup("ntlz", 42, false)).as("no such interface: an answer, not an error").isFalse();

        assertThat(node.rtnl().link("ntlr").orElseThrow()).satisfies(end -> {
            assertThat(end.group()).isEqualTo(42);
            assertThat(end.adminUp()).isFalse();
        });
        assertThat(node.rtnl().link("ntlk").orElseThrow()).satisfies(end -> {
            assertThat(end.group()).isZero();
            assertThat(end.adminUp()).isTrue();
        });
        node.rtnl().deleteGroup(42);
        assertThat(node.rtnl().links()).extracting(LinkInfo::name).containsExactlyInAnyOrder("lo", "ntlk", "ntlm");
    }
}
