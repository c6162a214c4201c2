package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.Await;
import dev.nugator.testkit.ClusterLab;
import dev.nugator.testkit.ClusterPod;
import dev.nugator.testkit.IpAddr;
import dev.nugator.testkit.Link;
import dev.nugator.testkit.LinkStatusReport;
import dev.nugator.testkit.Names;
import dev.nugator.testkit.Ping;
import dev.nugator.testkit.RootIntegrationTest;
import dev.nugator.testkit.Vxlan;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Links between pods on different nodes of a three-node cluster (etcd store, one nugatord per
 * node): each pod gets a VXLAN end pointing at the other node, and the ping crosses; the same pods
 * restarted on one node get a veth; a pod moved to a third node takes its peer's end along; a
 * deleted topology leaves no interface, VNI or pod record. An end deleted by hand comes back.
 */
@RootIntegrationTest
class ClusterLinksTest {
    private static final String A_IP = "192.0.2.1";
    private static final String B_IP = "192.0.2.2";
    private static final int VXLAN_PORT = 4789;
    /** A few resync intervals, with room for a busy machine; the default interval (30 s) would not make it. */
    private static final Duration REPAIR_WAIT = Duration.ofSeconds(ClusterLab.RESYNC_SECONDS * 10L);

    @RegisterExtension
    final ClusterLab lab = ClusterLab.create();

    @Test
    void podsOnTwoNodesGetVxlanEndsThenVethsOnOneNodeThenFollowAMoveAndADeletedTopologyLeavesNothing() {
        String topology = Names.unique("ntpair");
        lab.applyTopology("""
                name: %s
                links:
                  - a: {pod: pa, ifname: eth1, ipv4: %s/30}
                    b: {pod: pb, ifname: eth1, ipv4: %s/30}
                """.formatted(topology, A_IP, B_IP));
        ClusterPod pa = lab.pod("pa", 1);
        ClusterPod pb = lab.pod("pb", 2);

        // pods on nodes 1 and 2: a VXLAN end in each, same VNI, each pointing at the other node
        pa.attach();
        pb.attach();
        Vxlan a = pa.awaitVxlanTo("eth1", 2);
        Vxlan b = pb.awaitVxlanTo("eth1", 1);
        assertThat(a.vni()).as("VNI of both ends: %s %s", a, b).isPositive().isEqualTo(b.vni());
        assertThat(List.of(a.port(), b.port())).as("dstport of both ends").containsOnly(VXLAN_PORT);
        assertThat(a.local()).as("local address of %s", a).isEqualTo(lab.nodeIp(1));
        assertThat(b.local()).as("local address of %s", b).isEqualTo(lab.nodeIp(2));
        assertThat(a.learning() || b.learning()).as("learning off: %s %s", a, b).isFalse();
        assertAddress(pa, "eth1", A_IP);
        assertAddress(pb, "eth1", B_IP);
        Ping.assertCrosses(pa.netns(), B_IP);
        Ping.assertCrosses(pb.netns(), A_IP);
        Await.until("nothing parked and no VXLAN left in the nodes", lab::strayInterfaces, Map::isEmpty);

        // the store holds the VNI both ways, and status shows it with both ends
        Map<Integer, String> vnis = lab.vnis();
        assertThat(vnis).as("vnis/ in the store").hasSize(1).containsKey(a.vni());
        String linkId = vnis.get(a.vni());
        assertThat(lab.linkVnis()).as("link-vnis/ in the store").containsExactly(Map.entry(linkId, a.vni()));
        LinkStatusReport.Entry link = lab.status().link(pa.end("eth1"));
        assertThat(link.id()).isEqualTo(linkId);
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

        // both pods deleted and started again on node 1: a veth, the ping crosses, no error anywhere
        pa.detach();
        pb.detach();
        pa.restart().attach();
        pb.moveTo(1).attach();
        assertThat(pa.awaitVeth("eth1").kind()).isEqualTo("veth");
        assertThat(pb.awaitVeth("eth1").kind()).isEqualTo("veth");
        assertAddress(pa, "eth1", A_IP);
        assertAddress(pb, "eth1", B_IP);
        Ping.assertCrosses(pa.netns(), B_IP);
        assertThat(lab.storeErrors()).as("errors/ in the store").isEmpty();
        Await.until("nothing parked and no VXLAN left in the nodes", lab::strayInterfaces, Map::isEmpty);

        // pb moves to node 3: pa's end becomes a VXLAN pointing there
        pb.detach();
        pb.moveTo(3).attach();
        Vxlan moved = pa.awaitVxlanTo("eth1", 3);
        Vxlan third = pb.awaitVxlanTo("eth1", 1);
        assertThat(moved.vni()).as("VNI after the move: %s %s", moved, third).isEqualTo(third.vni());
        assertAddress(pa, "eth1", A_IP);
        Ping.assertCrosses(pa.netns(), B_IP);
        Await.until("nothing parked and no VXLAN left in the nodes after the move", lab::strayInterfaces, Map::isEmpty);
        assertThat(lab.storeErrors()).as("errors/ in the store").isEmpty();

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
        assertThat(lab.vnis()).as("vnis/ left in the store").isEmpty();
        assertThat(lab.linkVnis()).as("link-vnis/ left in the store").isEmpty();
        assertThat(lab.podKeys()).as("pod records left in the store").isEmpty();
        assertThat(lab.strayInterfaces()).as("parked ends or VXLANs left in the nodes").isEmpty();
    }

    @Test
    void endsDeletedByHandComeBackWithinAFewResyncIntervals() {
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

        // a VXLAN end deleted by hand
        pa.netns().ip("link", "del", "eth1");
        assertThat(pa.link("eth1")).as("pa's eth1 is gone for a moment").isEmpty();
        Vxlan back = Await.until("pa's VXLAN end back after a hand delete\n" + lab.logTails(), REPAIR_WAIT,
                () -> pa.describe("eth1"), e -> e.vxlan().map(v -> v.remote().equals(lab.nodeIp(2))).orElse(false)
                        && e.link().map(Link::isUp).orElse(false)).vxlan().orElseThrow();
        assertThat(back.vni()).as("the same VNI").isEqualTo(vni);
        assertAddress(pa, "eth1", "192.0.2.1");
        Ping.assertCrosses(pa.netns(), "192.0.2.2");

        // a veth end deleted by hand (its peer in pa goes with it)
        pc.netns().ip("link", "del", "eth1");
        Await.until("both ends of the veth back after a hand delete\n" + lab.logTails(), REPAIR_WAIT,
                () -> List.of(pa.describe("eth2"), pc.describe("eth1")),
                ends -> ends.stream().allMatch(e -> e.link().map(l -> "veth".equals(l.kind()) && l.flags().contains("LOWER_UP")
                        && !l.addresses().isEmpty()).orElse(false)));
        assertAddress(pa, "eth2", "192.0.2.5");
        assertAddress(pc, "eth1", "192.0.2.6");
        Ping.assertCrosses(pc.netns(), "192.0.2.5");
        assertThat(lab.storeErrors()).as("errors/ once repaired").isEmpty();
    }

    private static void assertAddress(ClusterPod pod, String ifname, String ip) {
        Optional<Link> link = pod.link(ifname);
        assertThat(link).as("%s in %s", ifname, pod).isPresent();
        assertThat(link.get().addresses()).as("addresses of %s in %s", ifname, pod).extracting(IpAddr::cidr).contains(ip + "/30");
    }
}
