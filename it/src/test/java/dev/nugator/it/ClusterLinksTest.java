package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.Await;
import dev.nugator.testkit.ClusterEnd;
import dev.nugator.testkit.ClusterLab;
import dev.nugator.testkit.ClusterPod;
import dev.nugator.testkit.IpAddr;
import dev.nugator.testkit.Link;
import dev.nugator.testkit.LinkStatusReport;
import dev.nugator.testkit.Names;
import dev.nugator.testkit.PanelLayout;
import dev.nugator.testkit.Ping;
import dev.nugator.testkit.RootIntegrationTest;
import dev.nugator.testkit.Vxlan;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Links between pods on different nodes of a three-node cluster (etcd store, one nugatord per
 * node): each pod's interface is a veth whose port, in its node's panel, is wired to a tunnel
 * pointing at the other node, and the ping crosses; the same pods restarted on one node are wired
 * port to port, with no tunnel; a pod moved to a third node takes its peer's tunnel along while
 * the peer's interface stays as it is; a deleted topology leaves no interface, VNI or pod record.
 * A tunnel, a port or an interface deleted by hand comes back.
 */
@RootIntegrationTest
class ClusterLinksTest {
    private static final String A_IP = "192.0.2.1";
    private static final String B_IP = "192.0.2.2";
    private static final int VXLAN_PORT = 4789;
    /** The underlay MTU less VXLAN's 50 bytes: a link's MTU, wherever its peer runs. */
    private static final int LINK_MTU = 1450;
    /** A few resync intervals, with room for a busy machine; the default interval (30 s) would not make it. */
    private static final Duration REPAIR_WAIT = Duration.ofSeconds(ClusterLab.RESYNC_SECONDS * 10L);

    @RegisterExtension
    final ClusterLab lab = ClusterLab.create();

    @Test
    void podsOnTwoNodesGetTunnelsThenAPortToPortWireOnOneNodeThenFollowAMoveAndADeletedTopologyLeavesNothing() {
        String topology = Names.unique("ntpair");
        lab.applyTopology("""
                name: %s
                links:
                  - a: {pod: pa, ifname: eth1, ipv4: %s/30}
                    b: {pod: pb, ifname: eth1, ipv4: %s/30}
                """.formatted(topology, A_IP, B_IP));
        ClusterPod pa = lab.pod("pa", 1);
        ClusterPod pb = lab.pod("pb", 2);

        // pods on nodes 1 and 2: each end leaves its node through a tunnel, same VNI, each pointing at the other node
        pa.attach();
        pb.attach();
        Vxlan a = pa.awaitVxlanTo("eth1", 2);
        Vxlan b = pb.awaitVxlanTo("eth1", 1);
        assertThat(a.vni()).as("VNI of both tunnels: %s %s", a, b).isPositive().isEqualTo(b.vni());
        assertThat(List.of(a.port(), b.port())).as("dstport of both tunnels").containsOnly(VXLAN_PORT);
        assertThat(a.local()).as("local address of %s", a).isEqualTo(lab.nodeIp(1));
        assertThat(b.local()).as("local address of %s", b).isEqualTo(lab.nodeIp(2));
        assertThat(a.learning() || b.learning()).as("learning off: %s %s", a, b).isFalse();
        assertEnd(pa, "eth1", A_IP);
        assertEnd(pb, "eth1", B_IP);
        Ping.assertCrosses(pa.netns(), B_IP);
        Ping.assertCrosses(pb.netns(), A_IP);

        // the store holds the VNI both ways, and status shows it with both ends
        Map<Integer, String> vnis = lab.store().vnis();
        assertThat(vnis).as("vnis/ in the store").hasSize(1).containsKey(a.vni());
        String linkId = vnis.get(a.vni());
        assertThat(lab.store().linkVnis()).as("link-vnis/ in the store").containsExactly(Map.entry(linkId, a.vni()));
        LinkStatusReport.Entry link = lab.status().link(pa.end("eth1"));
        assertThat(link.id()).isEqualTo(linkId);
        lab.panels().await(PanelLayout.empty().link(link, pa, pb));
        assertThat(link.state()).as("%s", link).isEqualTo("up");
        assertThat(link.vni()).as("%s", link).hasValue(a.vni());
        assertThat(link.end(pa.end("eth1")).node()).as("%s", link).isEqualTo(lab.nodeName(1));
        assertThat(link.end(pb.end("eth1")).node()).as("%s", link).isEqualTo(lab.nodeName(2));
        // read through a node: its own end from its kernel, the other one "remote"
        var throughNode1 = lab.ctl(1).status().link(pa.end("eth1"));
        assertThat(throughNode1.end(pa.end("eth1"))).as("read through node 1: %s", throughNode1)
                .extracting(LinkStatusReport.End::state, LinkStatusReport.End::kind).containsExactly("up", "vxlan");
        assertThat(throughNode1.end(pb.end("eth1")).state()).as("read through node 1: %s", throughNode1).isEqualTo("remote");
        var throughNode2 = lab.ctl(2).status().link(pb.end("eth1"));
        assertThat(throughNode2.end(pb.end("eth1"))).as("read through node 2: %s", throughNode2)
                .extracting(LinkStatusReport.End::state, LinkStatusReport.End::kind).containsExactly("up", "vxlan");
        assertThat(throughNode2.end(pa.end("eth1")).state()).as("read through node 2: %s", throughNode2).isEqualTo("remote");

        // both pods deleted and started again on node 1: port to port, no tunnel, the ping crosses, no error anywhere
        pa.detach();
        pb.detach();
        pa.restart().attach();
        pb.moveTo(1).attach();
        pa.awaitVeth("eth1");
        pb.awaitVeth("eth1");
        assertEnd(pa, "eth1", A_IP);
        assertEnd(pb, "eth1", B_IP);
        Ping.assertCrosses(pa.netns(), B_IP);
        assertThat(lab.store().errors()).as("errors/ in the store").isEmpty();
        lab.panels().await(PanelLayout.empty().link(link, pa, pb));

        // pb moves to node 3: pa keeps its interface, without carrier while pb is away, and its port gets a tunnel to node 3
        int paIndex = pa.requireLink("eth1").index();
        pb.detach();
        assertThat(pa.awaitNoCarrier("eth1").index()).as("pa's eth1 while pb is away").isEqualTo(paIndex);
        pb.moveTo(3).attach();
        Vxlan moved = pa.awaitVxlanTo("eth1", 3);
        Vxlan third = pb.awaitVxlanTo("eth1", 1);
        assertThat(moved.vni()).as("VNI after the move: %s %s", moved, third).isEqualTo(third.vni());
        assertThat(pa.requireLink("eth1").index()).as("pa's eth1 after pb's move").isEqualTo(paIndex);
        assertEnd(pa, "eth1", A_IP);
        assertEnd(pb, "eth1", B_IP);
        Ping.assertCrosses(pa.netns(), B_IP);
        lab.panels().await(PanelLayout.empty().link(link, pa, pb));
        assertThat(lab.store().errors()).as("errors/ in the store").isEmpty();

        // the topology deleted while both run: both ends go; then the pods go: nothing is left
        lab.deleteTopology(topology);
        Await.until("eth1 gone from both pods once the topology is deleted",
                () -> List.of(pa.describe("eth1"), pb.describe("eth1")),
                ends -> ends.stream().allMatch(e -> e.link().isEmpty()));
        pa.detach();
        pb.detach();
        for (ClusterPod pod : List.of(pa, pb)) {
            assertThat(pod.netns().linkNames()).as("interfaces left in %s", pod).containsOnly("lo");
        }
        assertThat(lab.store().vnis()).as("vnis/ left in the store").isEmpty();
        assertThat(lab.store().linkVnis()).as("link-vnis/ left in the store").isEmpty();
        assertThat(lab.store().podKeys()).as("pod records left in the store").isEmpty();
        lab.panels().awaitEmpty();
    }

    @Test
    void aTunnelAPortOrAnInterfaceDeletedByHandComesBackWithinAFewResyncIntervals() {
        lab.applyTopology("""
                name: %s
                links:
                  - a: {pod: pa, ifname: eth1, ipv4: 192.0.2.1/30}
                    b: {pod: pb, ifname: eth1, ipv4: 192.0.2.2/30}
                  - a: {pod: pa, ifname: eth2, ipv4: 192.0.2.5/30}
                    b: {pod: pc, ifname: eth1, ipv4: 192.0.2.6/30}
                """.formatted(Names.unique("nthand")));
        ClusterPod pa = lab.pod("pa", 1);
        ClusterPod pb = lab.pod("pb", 2);
        ClusterPod pc = lab.pod("pc", 1);
        pa.attach();
        pb.attach();
        pc.attach();
        int vni = pa.awaitVxlanTo("eth1", 2).vni();
        pb.awaitVxlanTo("eth1", 1);
        pa.awaitVeth("eth2");
        pc.awaitVeth("eth1");
        String node2 = lab.nodeIp(2);

        // the tunnel deleted by hand in node 1's panel: a new one is made and wired, pa's interface is not touched
        ClusterEnd before = pa.describe("eth1");
        Link tunnel = before.tunnel().orElseThrow();
        lab.daemon(1).panel().ip("link", "del", tunnel.name());
        ClusterEnd repaired = pa.awaitEnd("eth1", "wired through a new tunnel to node 2", REPAIR_WAIT,
                e -> e.crossesTo(node2) && e.tunnel().map(t -> t.index() != tunnel.index()).orElse(false));
        assertThat(repaired.vxlan().orElseThrow().vni()).as("the same VNI").isEqualTo(vni);
        assertThat(repaired.link().orElseThrow().index()).as("pa's eth1 after the panel's repair: %s", repaired)
                .isEqualTo(before.link().orElseThrow().index());
        Ping.assertCrosses(pa.netns(), "192.0.2.2");

        // pa's interface deleted by hand in the pod (its port goes with it): both come back, wired to node 2 again
        pa.netns().ip("link", "del", "eth1");
        Vxlan back = pa.awaitEnd("eth1", "back after a hand delete, wired to node 2", REPAIR_WAIT, e -> e.crossesTo(node2))
                .vxlan().orElseThrow();
        assertThat(back.vni()).as("the same VNI").isEqualTo(vni);
        assertEnd(pa, "eth1", "192.0.2.1");
        Ping.assertCrosses(pa.netns(), "192.0.2.2");

        // pa's port of the same-node link deleted by hand in the panel (pa's eth2 goes with it): the end comes back
        int pcIndex = pc.requireLink("eth1").index();
        lab.daemon(1).panel().ip("link", "del", pa.describe("eth2").port().orElseThrow().name());
        pa.awaitEnd("eth2", "back with its address after its port was deleted", REPAIR_WAIT,
                e -> e.staysOnNode() && !e.link().orElseThrow().addresses().isEmpty());
        assertEnd(pa, "eth2", "192.0.2.5");
        assertThat(pc.requireLink("eth1").index()).as("pc's eth1, the other end").isEqualTo(pcIndex);
        Ping.assertCrosses(pc.netns(), "192.0.2.5");

        // pc's interface deleted by hand in the pod (its port goes with it): it comes back, pa's eth2 stays as it is
        int paIndex = pa.requireLink("eth2").index();
        pc.netns().ip("link", "del", "eth1");
        pc.awaitEnd("eth1", "back with its address after a hand delete", REPAIR_WAIT,
                e -> e.staysOnNode() && !e.link().orElseThrow().addresses().isEmpty());
        pa.awaitVeth("eth2");
        assertEnd(pc, "eth1", "192.0.2.6");
        assertThat(pa.requireLink("eth2").index()).as("pa's eth2, the other end").isEqualTo(paIndex);
        Ping.assertCrosses(pc.netns(), "192.0.2.5");
        assertThat(lab.store().errors()).as("errors/ once repaired").isEmpty();
    }

    /** The end as a pod sees it: a veth of the link's MTU with its address (never a VXLAN device: those live in the panel). */
    private static void assertEnd(ClusterPod pod, String ifname, String ip) {
        ClusterEnd end = pod.describe(ifname);
        assertThat(end.link()).as("%s", end).isPresent();
        assertThat(end.link().get().kind()).as("kind of %s", end).isEqualTo("veth");
        assertThat(end.mtu()).as("MTU of %s", end).isEqualTo(LINK_MTU);
        assertThat(end.link().get().addresses()).as("addresses of %s", end).extracting(IpAddr::cidr).contains(ip + "/30");
    }
}
