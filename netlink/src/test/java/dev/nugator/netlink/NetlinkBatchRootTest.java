package dev.nugator.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.netlink.NetlinkBatch.AddressOn;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several changes in one datagram: each is made, or refused, on its own, and each outcome says which. */
@RootOnly
class NetlinkBatchRootTest {
    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @Test
    void makesEachVethOfABatchAndRefusesOnlyTheOneWhoseNameIsTaken() {
        var pod = namespaces.create();
        var panel = namespaces.create();
        pod.rtnl().createVeth(VethSpec.of("ntbtaken", "ntptaken").peerIn(panel.namespace()));

        var made = pod.rtnl().batch().createVethsEchoed(List.of(
                VethSpec.of("ntb1", "ntp1").peerIn(panel.namespace()).withMtu(1450).withAdminUp(true, false),
                VethSpec.of("ntbtaken", "ntp2").peerIn(panel.namespace()),
                VethSpec.of("ntb3", "ntp3").peerIn(panel.namespace()).withMac("02:00:00:00:0b:03")));

        assertThat(made).hasSize(3);
        assertThat(made.get(0).isDone()).isTrue();
        assertThat(made.get(0).value()).satisfies(end -> {
            assertThat(end.name()).isEqualTo("ntb1");
            assertThat(end.mtu()).isEqualTo(1450);
            assertThat(end.adminUp()).isTrue();
            assertThat(end.linkIndex()).isEqualTo(panel.rtnl().link("ntp1").orElseThrow().index());
        });
        assertThat(made.get(1).isDone()).isFalse();
        assertThat(made.get(1).refusal().is(Errno.EEXIST)).as(made.get(1).refusal().getMessage()).isTrue();
        assertThat(made.get(1).refusal().getMessage()).contains("ntbtaken");
        assertThat(made.get(2).value().mac()).isEqualTo("02:00:00:00:0b:03");
        assertThat(panel.rtnl().link("ntp2")).isEmpty();
        assertThat(panel.rtnl().links()).extracting(LinkInfo::name).containsExactlyInAnyOrder("lo", "ntptaken", "ntp1", "ntp3");
        assertThat(pod.rtnl().links()).extracting(LinkInfo::name).containsExactlyInAnyOrder("lo", "ntbtaken", "ntb1", "ntb3");
    }

    @Test
    void addsEachAddressOfABatchAndRefusesOnlyTheOneThere() throws Exception {
        var pod = namespaces.create();
        var panel = namespaces.create();
        var end = pod.rtnl().createVethEchoed(VethSpec.of("ntb1", "ntp1").peerIn(panel.namespace()));
        pod.rtnl().addAddress(end.index(), InetAddress.getByName("198.51.100.1"), 30);

        var added = pod.rtnl().batch().addAddresses(List.of(
                new AddressOn(end.index(), InetAddress.getByName("198.51.100.5"), 30),
                new AddressOn(end.index(), InetAddress.getByName("198.51.100.1"), 30),
                new AddressOn(end.index(), InetAddress.getByName("2001:db8::1"), 64)));

        assertThat(added).extracting(Outcome::isDone).containsExactly(true, false, true);
        assertThat(added.get(1).refusal().is(Errno.EEXIST)).isTrue();
        assertThat(pod.rtnl().addresses("ntb1")).extracting(a -> a.address().getHostAddress() + "/" + a.prefixLength())
                .contains("198.51.100.1/30", "198.51.100.5/30", "2001:db8:0:0:0:0:0:1/64");
    }

    @Test
    void addsClsactToEachPortAndTakesOneThereAsDone() {
        var pod = namespaces.create();
        var panel = namespaces.create();
        pod.rtnl().createVeth(VethSpec.of("ntb1", "ntp1").peerIn(panel.namespace()));
        pod.rtnl().createVeth(VethSpec.of("ntb2", "ntp2").peerIn(panel.namespace()));
        int p1 = panel.rtnl().link("ntp1").orElseThrow().index();
        int p2 = panel.rtnl().link("ntp2").orElseThrow().index();
        panel.rtnl().addClsact(p1);

        var added = panel.rtnl().batch().addClsacts(List.of(p1, p2));

        assertThat(added).extracting(Outcome::isDone).containsExactly(true, true);
        panel.rtnl().redirectIngress(p1, p2);   // needs the clsact qdisc on each
        panel.rtnl().redirectIngress(p2, p1);
        assertThat(panel.rtnl().ingressRedirect(p1)).hasValue(p2);
        assertThat(panel.rtnl().ingressRedirect(p2)).hasValue(p1);
    }

    @Test
    void aBatchLargerThanADatagramIsSentInSeveralAndAnsweredInOrder() {
        var pod = namespaces.create();
        var panel = namespaces.create();
        var specs = new ArrayList<VethSpec>();
        for (int i = 0; i < 300; i++) {
            specs.add(VethSpec.of("ntb" + i, "ntp" + i).peerIn(panel.namespace()));
        }

        var made = pod.rtnl().batch().createVethsEchoed(specs);

        assertThat(made).hasSize(300).allMatch(Outcome::isDone);
        for (int i = 0; i < 300; i++) {
            assertThat(made.get(i).value().name()).isEqualTo("ntb" + i);
            assertThat(made.get(i).value().linkIndex()).isEqualTo(panel.rtnl().link("ntp" + i).orElseThrow().index());
        }
    }
}
