package dev.nugator.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@RootOnly
class VxlanRootTest {
    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @Test
    void createsWithRemoteLocalUnderlayAndPort() {
        var a = namespaces.create();
        int underlay = underlay(a);

        a.rtnl().createVxlan(VxlanSpec.of("ntlvx", 42).withRemote(ip("10.0.0.2")).withLocal(ip("10.0.0.1"))
                .withUnderlay(underlay).withPort(8472).withMtu(1450).withLearning(false));

        LinkInfo link = a.rtnl().link("ntlvx").orElseThrow();
        assertThat(link.kind()).isEqualTo("vxlan");
        assertThat(link.mtu()).isEqualTo(1450);
        assertThat(link.vxlan()).isEqualTo(new VxlanInfo(42, ip("10.0.0.2"), ip("10.0.0.1"), underlay, 8472, false));
        assertThat(Ip.linkJson(a.name(), "ntlvx")).contains(
                "\"id\":42", "\"remote\":\"10.0.0.2\"", "\"local\":\"10.0.0.1\"", "\"port\":8472", "\"learning\":false");
    }

    @Test
    void theDefaultPortIs4789() {
        var a = namespaces.create();

        a.rtnl().createVxlan(VxlanSpec.of("ntlvx", 7));

        assertThat(a.rtnl().link("ntlvx").orElseThrow().vxlan()).satisfies(vxlan -> {
            assertThat(vxlan.port()).isEqualTo(4789);
            assertThat(vxlan.remote()).isNull();
            assertThat(vxlan.learning()).isTrue();
        });
    }

    @Test
    void changesTheRemoteInPlaceAndItsForwardingEntry() {
        var a = namespaces.create();
        a.rtnl().createVxlan(VxlanSpec.of("ntlvx", 42).withRemote(ip("10.0.0.2")));
        int index = a.rtnl().link("ntlvx").orElseThrow().index();

        a.rtnl().setVxlanRemote("ntlvx", ip("10.0.0.3"));

        LinkInfo link = a.rtnl().link("ntlvx").orElseThrow();
        assertThat(link.index()).isEqualTo(index);
        assertThat(link.vxlan().remote()).isEqualTo(ip("10.0.0.3"));
        assertThat(link.vxlan().vni()).isEqualTo(42);
        assertThat(fdb(a, "ntlvx")).contains("00:00:00:00:00:00 dst 10.0.0.3").doesNotContain("10.0.0.2");
    }

    @Test
    void aRemoteCanComeAfterCreation() {
        var a = namespaces.create();
        a.rtnl().createVxlan(VxlanSpec.of("ntlvx", 42));

        a.rtnl().setVxlanRemote("ntlvx", ip("10.0.0.9"));

        assertThat(a.rtnl().link("ntlvx").orElseThrow().vxlan().remote()).isEqualTo(ip("10.0.0.9"));
        assertThat(fdb(a, "ntlvx")).contains("00:00:00:00:00:00 dst 10.0.0.9");
    }

    @Test
    void ipv6RemoteAndLocal() {
        var a = namespaces.create();
        a.rtnl().createVxlan(VxlanSpec.of("ntlvx", 42).withRemote(ip("fd00::2")).withLocal(ip("fd00::1")));

        a.rtnl().setVxlanRemote("ntlvx", ip("fd00::3"));

        assertThat(a.rtnl().link("ntlvx").orElseThrow().vxlan()).satisfies(vxlan -> {
            assertThat(vxlan.remote()).isEqualTo(ip("fd00::3"));
            assertThat(vxlan.local()).isEqualTo(ip("fd00::1"));
        });
    }

    /** The kernel keeps a VXLAN's address family for life: a new family means a new device. */
    @Test
    void theRemotesAddressFamilyCannotChange() {
        var a = namespaces.create();
        a.rtnl().createVxlan(VxlanSpec.of("ntlvx", 42).withRemote(ip("10.0.0.2")));

        assertThatThrownBy(() -> a.rtnl().setVxlanRemote("ntlvx", ip("fd00::3")))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.operation()).isEqualTo("set vxlan ntlvx remote fd00:0:0:0:0:0:0:3");
                    assertThat(e.kernelMessage()).isEqualTo("New group address family does not match old group");
                });
    }

    @Test
    void aTakenVniAndPortIsRefused() {
        var a = namespaces.create();
        a.rtnl().createVxlan(VxlanSpec.of("ntlvx", 42));

        assertThatThrownBy(() -> a.rtnl().createVxlan(VxlanSpec.of("ntlvy", 42)))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.errnoName()).isEqualTo("EEXIST");
                    assertThat(e.kernelMessage()).isNotBlank();
                });
    }

    /**
     * How nugatord makes a pod's cross-node end: created by the node's socket straight into the
     * pod, it lives in the pod while its UDP socket stays on the node's underlay. Two "nodes" joined
     * by a veth, a "pod" on each: the ping between the pods crosses the tunnel.
     */
    @Test
    void madeIntoAnotherNamespaceItTunnelsOverTheCreatorsUnderlay() {
        var node1 = namespaces.create();
        var node2 = namespaces.create();
        var pod1 = namespaces.create();
        var pod2 = namespaces.create();
        node1.rtnl().createVeth(VethSpec.of("ntlu0", "ntlu1").peerIn(node2.namespace()));
        node1.rtnl().addAddress("ntlu0", ip("10.0.0.1"), 24);
        node2.rtnl().addAddress("ntlu1", ip("10.0.0.2"), 24);
        node1.rtnl().setUp("ntlu0");
        node2.rtnl().setUp("ntlu1");

        node1.rtnl().createVxlan(VxlanSpec.of("ntlvx", 42).withRemote(ip("10.0.0.2")).withLocal(ip("10.0.0.1"))
                .withLearning(false).withMac("02:00:00:00:00:01").inNamespace(pod1.namespace()));
        node2.rtnl().createVxlan(VxlanSpec.of("ntlvx", 42).withRemote(ip("10.0.0.1")).withLocal(ip("10.0.0.2"))
                .withLearning(false).inNamespace(pod2.namespace()));
        pod1.rtnl().addAddress("ntlvx", ip("192.168.7.1"), 24);
        pod2.rtnl().addAddress("ntlvx", ip("192.168.7.2"), 24);
        pod1.rtnl().setUp("ntlvx");
        pod2.rtnl().setUp("ntlvx");

        assertThat(node1.rtnl().link("ntlvx")).isEmpty();
        assertThat(pod1.rtnl().link("ntlvx").orElseThrow().mac()).isEqualTo("02:00:00:00:00:01");
        assertThat(pod1.rtnl().link("ntlvx").orElseThrow().vxlan().remote()).isEqualTo(ip("10.0.0.2"));
        assertThat(Ip.command("ip", "netns", "exec", pod1.name(), "busybox", "ping", "-c", "1", "-W", "2", "192.168.7.2"))
                .contains("1 packets received");
    }

    private static int underlay(TestNamespaces.Netns netns) {
        netns.rtnl().createVeth(VethSpec.of("ntlu0", "ntlu1"));
        netns.rtnl().addAddress("ntlu0", ip("10.0.0.1"), 24);
        return netns.rtnl().link("ntlu0").orElseThrow().index();
    }

    private static String fdb(TestNamespaces.Netns netns, String device) {
        return Ip.command("bridge", "-n", netns.name(), "fdb", "show", "dev", device);
    }

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }
}
