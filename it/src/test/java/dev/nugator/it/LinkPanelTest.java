package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.Await;
import dev.nugator.testkit.Dist;
import dev.nugator.testkit.Frames;
import dev.nugator.testkit.LabPod;
import dev.nugator.testkit.Link;
import dev.nugator.testkit.LinkLab;
import dev.nugator.testkit.Ping;
import dev.nugator.testkit.Proc;
import dev.nugator.testkit.RootIntegrationTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The patch panel on one node, through the real shim and nugatord, as a network engineer checks a
 * lab: a pod's link interface is made once and keeps its ifindex, name and MAC through whatever
 * happens to its peer or to nugatord; its carrier is the cable; frames cross as on a wire (LLDP,
 * VLAN tags, jumbo frames); and nothing of nugator's is left once the pods and the links are gone.
 */
@RootIntegrationTest
class LinkPanelTest {
    private static final String TOPOLOGY = """
            name: panel
            links:
              - a: {pod: r1, ifname: e1, ipv4: 192.0.2.1/30, mac: "02:00:00:00:01:01"}
                b: {pod: r2, ifname: e1, ipv4: 192.0.2.2/30, mac: "02:00:00:00:01:02"}
            """;

    @RegisterExtension
    final LinkLab lab = LinkLab.create();

    private LabPod r1;
    private LabPod r2;

    private void bothRunning(String topology) {
        lab.ctl().applyTopology(topology).requireSuccess();
        r1 = lab.pod("r1");
        r2 = lab.pod("r2");
        r1.attach();
        r2.attach();
    }

    /** What a pod's tooling keys on: the interface's ifindex, name and MAC. */
    private static String identity(LabPod pod) {
        Link e1 = pod.requireLink("e1");
        return e1.name() + "#" + e1.index() + "/" + e1.mac();
    }

    private static boolean carrier(LabPod pod) {
        return LabPod.carrier(pod.requireLink("e1"));
    }

    @Test
    void thePodsInterfaceOutlivesEveryPeerRestartAndItsCarrierFollowsThePeer() {
        bothRunning(TOPOLOGY);
        String before = identity(r1);

        for (int round = 0; round < 3; round++) {
            r2.detach();
            assertThat(carrier(r1)).as("peer away: NO-CARRIER (round %d)", round).isFalse();
            assertThat(identity(r1)).as("round %d, peer away", round).isEqualTo(before);
            r2.restart().attach();
            assertThat(carrier(r1)).as("peer back: LOWER_UP (round %d)", round).isTrue();
            assertThat(identity(r1)).as("round %d, peer back", round).isEqualTo(before);
            Ping.assertCrosses(r1.netns(), "192.0.2.2");
        }
    }

    @Test
    void aPeerThatRestartsComesBackWithTheSameMacSoItsNeighboursCachesStayRight() {
        bothRunning(TOPOLOGY.replace(", mac: \"02:00:00:00:01:01\"", "").replace(", mac: \"02:00:00:00:01:02\"", ""));
        String mac = r2.requireLink("e1").mac();
        Ping.assertCrosses(r1.netns(), "192.0.2.2");

        r2.detach();
        r2.restart().attach();

        assertThat(r2.requireLink("e1").mac()).as("a link end's MAC belongs to the link, not to the container").isEqualTo(mac);
        // r1's ARP cache still holds r2's address under that MAC: pings cross at once, not after it ages out
        Ping.assertCrosses(r1.netns(), "192.0.2.2");
    }

    @Test
    void aNugatordKilledAndStartedAgainChangesNothingAPodCanSee() {
        bothRunning(TOPOLOGY);
        String one = identity(r1);
        String two = identity(r2);
        var ports = lab.panelDevices().stream().map(p -> p.name() + "#" + p.index()).toList();

        lab.daemon().kill();
        assertThat(carrier(r1)).as("the panel outlives nugatord: the cable stays plugged").isTrue();
        Ping.assertCrosses(r1.netns(), "192.0.2.2");
        lab.daemon().restart();

        assertThat(identity(r1)).isEqualTo(one);
        assertThat(identity(r2)).isEqualTo(two);
        assertThat(lab.panelDevices().stream().map(p -> p.name() + "#" + p.index()).toList()).as("the same ports").isEqualTo(ports);
        Ping.assertCrosses(r2.netns(), "192.0.2.1");
        assertThat(lab.status().link(r1.end("e1")).state()).isEqualTo("up");
    }

    @Test
    void anMtuOrAddressChangeIsMadeInPlace() {
        bothRunning(TOPOLOGY);
        String before = identity(r1);

        lab.ctl().applyTopology("""
                name: panel
                links:
                  - a: {pod: r1, ifname: e1, ipv4: 192.0.2.5/30, mac: "02:00:00:00:01:01"}
                    b: {pod: r2, ifname: e1, ipv4: 192.0.2.6/30, mac: "02:00:00:00:01:02"}
                    mtu: 9000
                """).requireSuccess();

        Await.until("e1 of both pods at MTU 9000 with the new addresses", () -> List.of(r1.requireLink("e1"), r2.requireLink("e1")),
                l -> l.stream().allMatch(e -> e.addresses().stream().anyMatch(a -> a.cidr().startsWith("192.0.2.5") || a.cidr().startsWith("192.0.2.6")))
                        && mtu(r1) == 9000 && mtu(r2) == 9000);
        assertThat(identity(r1)).isEqualTo(before);
        Ping.assertCrosses(r1.netns(), "192.0.2.6");
    }

    private static int mtu(LabPod pod) {
        return Integer.parseInt(pod.netns().ip("-j", "link", "show", "e1").stdout().replaceAll("(?s).*\"mtu\":(\\d+).*", "$1"));
    }

    @Test
    void theDefaultMtuIsTheUnderlaysLessVxlansOverheadOnOneNodeToo() {
        bothRunning(TOPOLOGY.replace(", mac: \"02:00:00:00:01:01\"", "").replace(", mac: \"02:00:00:00:01:02\"", ""));

        assertThat(mtu(r1)).as("1500 underlay less 50: the same MTU the link has when its peer moves away").isEqualTo(1450);
        assertThat(mtu(r2)).isEqualTo(1450);
    }

    @Test
    void lldpVlanTaggedAndJumboFramesCrossIntact() {
        bothRunning(TOPOLOGY.replace("mac: \"02:00:00:00:01:02\"}", "mac: \"02:00:00:00:01:02\"}\n    mtu: 9000"));
        String mac1 = "02:00:00:00:01:01";
        String mac2 = "02:00:00:00:01:02";

        byte[] lldp = Frames.lldp(mac1);
        byte[] tagged = Frames.vlanTagged(mac2, mac1, 100);
        byte[] jumbo = Frames.sized(mac2, mac1, 9000);

        assertThat(Frames.cross(r1.netns(), "e1", r2.netns(), "e1", lldp)).as("LLDP to 01:80:c2:00:00:0e").contains(lldp);
        assertThat(Frames.cross(r1.netns(), "e1", r2.netns(), "e1", tagged)).as("802.1Q, VLAN 100").contains(tagged);
        assertThat(Frames.cross(r2.netns(), "e1", r1.netns(), "e1", jumbo)).as("9014-byte frame").contains(jumbo);
    }

    @Test
    void statusSaysUpOnlyWhenWiredAndWhyNotOtherwise() {
        lab.ctl().applyTopology(TOPOLOGY).requireSuccess();
        r1 = lab.pod("r1");
        r2 = lab.pod("r2");
        r1.attach();

        var waiting = lab.status().link(r1.end("e1"));
        assertThat(waiting.state()).isEqualTo("pending");
        assertThat(waiting.end(r1.end("e1")).state()).isEqualTo("down");
        assertThat(waiting.end(r1.end("e1")).detail()).contains("default/r2");

        r2.attach();
        var up = lab.status().link(r1.end("e1"));
        assertThat(up.state()).isEqualTo("up");
        assertThat(List.of(up.a().state(), up.b().state())).containsOnly("up");

        // someone pulls the wire in the panel by hand: status reads the kernel, not the store
        lab.daemon().panel().ip("link", "set", lab.panelNames().getFirst(), "down");
        var pulled = lab.status().link(r1.end("e1"));
        assertThat(pulled.state()).as("%s", pulled).isNotEqualTo("up");
    }

    @Test
    void nugatordRefusesItsOwnNamespaceAsThePanel() {
        var dir = lab.tempDir();
        var run = Proc.of(lab.node().netns().enterArgs(List.of(Dist.nugatord().toString(), "--socket", dir.resolve("s").toString(),
                "--state-dir", dir.resolve("state").toString(), "--panel-netns", "/proc/self/ns/net"))).run();

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(1);
        assertThat(run.stderr()).as(run.describe()).contains("/proc/self/ns/net", "own network namespace");
        assertThat(lab.node().netns().linkNames()).as("nothing made in the node").doesNotContain("e1");
    }

    @Test
    void afterBothDelsAndTheTopologysDeleteNothingIsLeftAnywhere() {
        bothRunning(TOPOLOGY);

        r1.detach();
        r2.detach();
        lab.ctl().run("topology", "delete", "panel").requireSuccess();

        for (var pod : List.of(r1, r2)) {
            assertThat(pod.netns().linkNames()).as("interfaces left in %s", pod).containsOnly("lo");
        }
        assertThat(lab.panelNames()).as("devices left in the panel").isEmpty();
        assertThat(lab.strayInNode()).as("anything of nugator's in the node").isEmpty();
        assertThat(lab.status().links()).isEmpty();
    }
}
