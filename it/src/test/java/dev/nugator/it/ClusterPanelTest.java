package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.Await;
import dev.nugator.testkit.ClusterLab;
import dev.nugator.testkit.ClusterPod;
import dev.nugator.testkit.Frames;
import dev.nugator.testkit.LabPod;
import dev.nugator.testkit.Link;
import dev.nugator.testkit.LinkStatusReport;
import dev.nugator.testkit.Names;
import dev.nugator.testkit.PanelLayout;
import dev.nugator.testkit.Ping;
import dev.nugator.testkit.RootIntegrationTest;
import dev.nugator.testkit.UnderlayMtu;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The patch panel across nodes, as README's "The patch panel" and "Many nodes" promise it: a pod's
 * link interface keeps its ifindex, name and MAC whatever its peer does (moves between nodes,
 * restarts, crashes) and whichever nugatord is killed, only its carrier following the peer; frames
 * cross between nodes untouched (LLDP, 802.1Q tags, 9000-byte frames on a jumbo underlay); status
 * says when the underlay cannot carry a link's MTU; and nothing is left once the pods and the
 * topology are gone.
 */
@RootIntegrationTest
class ClusterPanelTest {
    private static final String A_IP = "192.0.2.1";
    private static final String B_IP = "192.0.2.2";
    /** A 1500 underlay less VXLAN's 50 bytes: the link's MTU wherever the peer runs. */
    private static final int LINK_MTU = 1450;
    private static final int JUMBO = 9000;

    @RegisterExtension
    final ClusterLab lab = ClusterLab.create();

    @Test
    void aPodsInterfaceStaysTheSameWhileItsPeerMovesRestartsOrCrashesAndWhileEitherNugatordIsKilled() {
        applyPair("");
        ClusterPod pa = lab.pod("pa", 1);
        ClusterPod pb = lab.pod("pb", 1);
        pa.attach();
        pb.attach();
        Link eth1 = pa.awaitVeth("eth1");
        assertThat(pa.describe("eth1").mtu()).as("pa's eth1 with its peer on the same node").isEqualTo(LINK_MTU);
        Ping.assertCrosses(pa.netns(), B_IP);

        // (a) pb moves to node 2 and back: pa's cable is unplugged while pb is away, rewired in the panels when it is back
        pb.detach();
        assertSame(eth1, pa.awaitNoCarrier("eth1"), "while pb moves to node 2");
        pb.moveTo(2).attach();
        pa.awaitVxlanTo("eth1", 2);
        assertSame(eth1, pa.requireLink("eth1"), "with pb on node 2");
        assertThat(pa.describe("eth1").mtu()).as("pa's eth1 with its peer on another node").isEqualTo(LINK_MTU);
        Ping.assertCrosses(pa.netns(), B_IP);
        pb.detach();
        assertSame(eth1, pa.awaitNoCarrier("eth1"), "while pb moves back to node 1");
        pb.moveTo(1).attach();
        pa.awaitVeth("eth1");
        assertSame(eth1, pa.requireLink("eth1"), "with pb back on node 1");
        Ping.assertCrosses(pa.netns(), B_IP);

        // (b) pb, on node 2, restarts as kubelet restarts a pod: DEL of the sandbox (also of one whose namespace died in a
        // crash), then ADD of a new one, pa's cable unplugged in between; and once more after a crash nobody DELs
        pb.detach();
        pb.moveTo(2).attach();
        pa.awaitVxlanTo("eth1", 2);
        pb.detach();
        assertSame(eth1, pa.awaitNoCarrier("eth1"), "while pb restarts on node 2");
        pb.restart().attach();
        pa.awaitVxlanTo("eth1", 2);
        assertSame(eth1, pa.requireLink("eth1"), "after pb's restart on node 2");
        Ping.assertCrosses(pa.netns(), B_IP);
        pb.die();
        pb.detach();
        assertSame(eth1, pa.awaitNoCarrier("eth1"), "while pb, crashed, is away");
        pb.restart().attach();
        pa.awaitVxlanTo("eth1", 2);
        assertSame(eth1, pa.requireLink("eth1"), "after pb crashed and restarted on node 2");
        Ping.assertCrosses(pa.netns(), B_IP);
        // a runtime that lost the sandbox sends no DEL: the new ADD may come before any nugatord sees the old one gone,
        // so pa's carrier may never drop; pa must reach pb all the same (pa's side first: pb's own traffic would
        // refresh pa's neighbour entry and hide a stale one)
        pb.die();
        pb.restart().attach();
        pa.awaitVxlanTo("eth1", 2);
        assertSame(eth1, pa.requireLink("eth1"), "after pb crashed and restarted without a DEL");
        Ping.assertCrosses(pa.netns(), B_IP);
        Ping.assertCrosses(pb.netns(), A_IP);
        var link = lab.status().link(pa.end("eth1"));
        lab.panels().await(PanelLayout.empty().link(link, pa, pb));

        // (c) pa's own nugatord killed: its panel stays, so pa keeps its interface and its carrier; restarted, it adopts the panel
        pb.awaitVxlanTo("eth1", 1);
        Link pbEth1 = pb.requireLink("eth1");
        lab.daemon(1).kill();
        Link during = pa.requireLink("eth1");
        assertSame(eth1, during, "while node 1 has no nugatord");
        assertThat(LabPod.carrier(during)).as("pa's carrier while node 1 has no nugatord: %s", during).isTrue();
        lab.daemon(1).restart();
        pa.awaitVxlanTo("eth1", 2);
        pb.awaitVxlanTo("eth1", 1);
        assertSame(eth1, pa.requireLink("eth1"), "after node 1's nugatord restarted");
        assertSame(pbEth1, pb.requireLink("eth1"), "pb's, after node 1's nugatord restarted");
        Ping.assertCrosses(pa.netns(), B_IP);

        // (d) the peer's nugatord killed: the same from the other side
        lab.daemon(2).kill();
        Link pbDuring = pb.requireLink("eth1");
        assertSame(pbEth1, pbDuring, "pb's, while node 2 has no nugatord");
        assertThat(LabPod.carrier(pbDuring)).as("pb's carrier while node 2 has no nugatord: %s", pbDuring).isTrue();
        assertSame(eth1, pa.requireLink("eth1"), "while node 2 has no nugatord");
        lab.daemon(2).restart();
        pa.awaitVxlanTo("eth1", 2);
        pb.awaitVxlanTo("eth1", 1);
        assertSame(eth1, pa.requireLink("eth1"), "after node 2's nugatord restarted");
        assertSame(pbEth1, pb.requireLink("eth1"), "pb's, after node 2's nugatord restarted");
        Ping.assertCrosses(pa.netns(), B_IP);
        lab.panels().await(PanelLayout.empty().link(link, pa, pb));
        assertThat(lab.status().link(pa.end("eth1")).state()).isEqualTo("up");
        assertThat(lab.store().errors()).as("errors/ in the store").isEmpty();
    }

    @Test
    void aNugatordDownPastItsNodeLeaseCutsNoCableItsPeersKeepTheTunnelToItsLastAddress() {
        applyPair("");
        ClusterPod pa = lab.pod("pa", 1);
        ClusterPod pb = lab.pod("pb", 2);
        pa.attach();
        pb.attach();
        pa.awaitVxlanTo("eth1", 2);
        Link eth1 = pa.requireLink("eth1");

        lab.daemon(2).kill();
        Await.until("node 2's record gone with its lease", () -> lab.store().nodeKeys(),
                keys -> keys.stream().noneMatch(k -> k.endsWith("/" + lab.nodeName(2))));
        var away = Await.until("node 1 reporting that node 2's nugatord is away", () -> lab.status().link(pa.end("eth1")),
                l -> l.reason().contains(lab.nodeName(2)) && l.reason().contains(lab.nodeIp(2)));
        assertThat(away.state()).as("%s", away).isEqualTo("error");

        assertSame(eth1, pa.requireLink("eth1"), "while node 2 has had no nugatord for longer than its lease");
        assertThat(LabPod.carrier(pa.requireLink("eth1"))).as("pa's carrier: node 2's kernel still forwards").isTrue();
        Ping.assertCrosses(pa.netns(), B_IP);

        lab.daemon(2).restart();
        Await.until("the link up again, with no error", () -> lab.status().link(pa.end("eth1")), l -> l.state().equals("up"));
        assertSame(eth1, pa.requireLink("eth1"), "after node 2's nugatord came back");
        Ping.assertCrosses(pa.netns(), B_IP);
    }

    @Test
    @UnderlayMtu(9100)
    void lldpA8021qTaggedFrameAndA9000ByteFrameCrossBetweenNodesUntouched() {
        applyPair("    mtu: " + JUMBO + "\n");
        ClusterPod pa = lab.pod("pa", 1);
        ClusterPod pb = lab.pod("pb", 2);
        pa.attach();
        pb.attach();
        pa.awaitVxlanTo("eth1", 2);
        pb.awaitVxlanTo("eth1", 1);
        assertThat(List.of(pa.describe("eth1").mtu(), pb.describe("eth1").mtu())).as("MTU of both ends").containsOnly(JUMBO);
        String aMac = pa.requireLink("eth1").mac();
        String bMac = pb.requireLink("eth1").mac();

        byte[] lldp = Frames.lldp(aMac);
        assertThat(Frames.cross(pa.netns(), "eth1", pb.netns(), "eth1", lldp)).as("an LLDP frame from pa at pb")
                .hasValueSatisfying(frame -> assertThat(frame).isEqualTo(lldp));
        byte[] lldpBack = Frames.lldp(bMac);
        assertThat(Frames.cross(pb.netns(), "eth1", pa.netns(), "eth1", lldpBack)).as("an LLDP frame from pb at pa")
                .hasValueSatisfying(frame -> assertThat(frame).isEqualTo(lldpBack));
        byte[] tagged = Frames.vlanTagged(bMac, aMac, 100);
        assertThat(Frames.cross(pa.netns(), "eth1", pb.netns(), "eth1", tagged)).as("a frame tagged VLAN 100 from pa at pb")
                .hasValueSatisfying(frame -> assertThat(frame).isEqualTo(tagged));
        byte[] jumbo = Frames.sized(bMac, aMac, JUMBO);
        assertThat(Frames.cross(pa.netns(), "eth1", pb.netns(), "eth1", jumbo)).as("a frame of %d bytes from pa at pb", jumbo.length)
                .hasValueSatisfying(frame -> assertThat(frame).isEqualTo(jumbo));

        var link = lab.status().link(pa.end("eth1"));
        assertThat(link.state()).as("a 9000 link over a 9100 underlay: %s", link).isEqualTo("up");
        assertThat(lab.store().errors()).as("errors/ in the store").isEmpty();
    }

    @Test
    void aLinkOfMtu9000AcrossAnEthernetUnderlayIsMadeAsAskedAndStatusSaysTheUnderlayCannotCarryIt() {
        applyPair("    mtu: " + JUMBO + "\n");
        ClusterPod pa = lab.pod("pa", 1);
        ClusterPod pb = lab.pod("pb", 2);
        pa.attach();
        pb.attach();
        assertThat(List.of(pa.describe("eth1").mtu(), pb.describe("eth1").mtu())).as("MTU of both ends, as asked").containsOnly(JUMBO);

        var link = Await.until("status naming the underlay as what cannot carry the link\n" + lab.logTails(),
                () -> lab.status().link(pa.end("eth1")), l -> l.reason().contains("underlay"));
        assertThat(link.state()).as("%s", link).isEqualTo("error");
        assertThat(link.reason()).as("%s", link).contains(Integer.toString(JUMBO), lab.nodeName(1), lab.nodeName(2));
        var throughNode1 = lab.ctl(1).status().link(pa.end("eth1"));
        assertThat(throughNode1.reason()).as("read through node 1: %s", throughNode1)
                .contains("underlay", Integer.toString(JUMBO), lab.nodeName(1), lab.nodeName(2));
        // smaller frames still cross: the link is there, only the large frames cannot make it
        pa.awaitVxlanTo("eth1", 2);
        Ping.assertCrosses(pa.netns(), B_IP);
    }

    @Test
    void onceBothPodsAreDeletedAndTheTopologyIsDeletedNoPortTunnelOrVniIsLeft() {
        String topology = applyPair("""
                  - a: {pod: pa, ifname: eth2, ipv4: 192.0.2.5/30}
                    b: {pod: pc, ifname: eth1, ipv4: 192.0.2.6/30}
                """);
        ClusterPod pa = lab.pod("pa", 1);
        ClusterPod pb = lab.pod("pb", 2);
        ClusterPod pc = lab.pod("pc", 1);
        pa.attach();
        pb.attach();
        pc.attach();
        pa.awaitVxlanTo("eth1", 2);
        pc.awaitVeth("eth1");
        var status = lab.status();
        var crossing = status.link(pa.end("eth1"));
        var local = status.link(pa.end("eth2"));
        lab.panels().await(PanelLayout.empty().link(crossing, pa, pb).link(local, pa, pc));
        assertThat(lab.store().vnis()).as("vnis/ in the store: the crossing link's").hasSize(1).containsValue(crossing.id());

        pa.detach();
        pb.detach();
        // pc still runs: only its own port is left, down, waiting for pa
        lab.panels().await(PanelLayout.empty().link(local, pc));
        pc.detach();
        lab.deleteTopology(topology);

        lab.panels().awaitEmpty();
        var store = lab.store();
        Await.until("no VNI left in the store", () -> Map.of("vnis", store.vnis(), "link-vnis", store.linkVnis()),
                m -> m.values().stream().allMatch(Map::isEmpty));
        assertThat(store.podKeys()).as("pod records left in the store").isEmpty();
        assertThat(store.errors()).as("errors/ left in the store").isEmpty();
        for (ClusterPod pod : List.of(pa, pb, pc)) {
            assertThat(pod.netns().linkNames()).as("interfaces left in %s", pod).containsOnly("lo");
        }
        assertThat(lab.status().links()).as("links left in status").extracting(LinkStatusReport.Entry::id)
                .doesNotContain(crossing.id(), local.id());
    }

    /** Applies pa:eth1 (192.0.2.1/30) <-> pb:eth1 (192.0.2.2/30), {@code more} (YAML) after it; returns the topology's name. */
    private String applyPair(String more) {
        String name = Names.unique("ntpanel");
        lab.applyTopology("""
                name: %s
                links:
                  - a: {pod: pa, ifname: eth1, ipv4: %s/30}
                    b: {pod: pb, ifname: eth1, ipv4: %s/30}
                """.formatted(name, A_IP, B_IP) + more);
        return name;
    }

    /** The invariant: the pod's interface is the one it had (same ifindex, name and MAC), never remade. */
    private static void assertSame(Link expected, Link now, String when) {
        assertThat(List.of(now.index(), now.name(), now.mac())).as("pod interface %s: was %s, now %s", when, expected, now)
                .containsExactly(expected.index(), expected.name(), expected.mac());
    }
}
