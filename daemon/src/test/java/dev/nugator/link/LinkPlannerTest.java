package dev.nugator.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nugator.netlink.NetnsPath;
import dev.nugator.pairing.Endpoint;
import dev.nugator.pairing.IfAddress;
import dev.nugator.pairing.LinkSpec;
import dev.nugator.pairing.NodeRecord;
import dev.nugator.pairing.PodAttachment;
import dev.nugator.pairing.PodRef;
import dev.nugator.pairing.Side;
import java.net.InetAddress;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** How one link is wired on a node, decided from where its pods run; no kernel involved. */
class LinkPlannerTest {
    static final PodRef R1 = new PodRef("default", "r1");
    static final PodRef R2 = new PodRef("default", "r2");
    static final InetAddress NODE1 = InetAddress.ofLiteral("198.18.0.1");
    static final InetAddress NODE2 = InetAddress.ofLiteral("198.18.0.2");

    final Map<String, NodeRecord> records = new HashMap<>();
    final Map<String, NodeRecord> seen = new HashMap<>();
    final ThisNode self = new ThisNode("node1", Optional.of(NODE1), 4789, 1500);
    final LinkPlanner planner = new LinkPlanner(self, name -> Optional.ofNullable(records.get(name)),
            name -> Optional.ofNullable(seen.get(name)), id -> 4242);

    static LinkSpec link(OptionalInt mtu) {
        return LinkSpec.of(new Endpoint(R1, "e1", List.of(IfAddress.parse("192.0.2.1/30")), Optional.empty()),
                new Endpoint(R2, "e1", List.of(IfAddress.parse("192.0.2.2/30")), Optional.empty()), mtu, false, false, Map.of(), "test");
    }

    static PodAttachment on(PodRef pod, String node) {
        return new PodAttachment(pod, "c-" + pod.name(), NetnsPath.parse("netns", "/run/netns/" + pod.name()), node);
    }

    static Map<Side, PodAttachment> attached(PodAttachment... pods) {
        var map = new EnumMap<Side, PodAttachment>(Side.class);
        for (var pod : pods) {
            map.put(pod.pod().equals(R1) ? Side.A : Side.B, pod);
        }
        return map;
    }

    @Test
    void bothPodsHereAreWiredPortToPort() {
        var plan = planner.plan(link(OptionalInt.empty()), attached(on(R1, "node1"), on(R2, "node1")));

        assertThat(plan.cable()).isInstanceOf(Cable.Local.class);
        assertThat(plan.here()).containsOnlyKeys(Side.A, Side.B);
        assertThat(plan.problem()).isEmpty();
    }

    @Test
    void aPeerThatRunsNowhereLeavesThePortOpen() {
        var plan = planner.plan(link(OptionalInt.empty()), attached(on(R1, "node1")));

        assertThat(plan.cable()).isInstanceOfSatisfying(Cable.Open.class, open -> assertThat(open.why()).contains("default/r2"));
        assertThat(plan.here()).containsOnlyKeys(Side.A);
    }

    @Test
    void aPeerOnAnotherNodeIsReachedThroughATunnelWithTheLinksVni() {
        records.put("node2", new NodeRecord("node2", NODE2, 4789, 1500));

        var plan = planner.plan(link(OptionalInt.empty()), attached(on(R1, "node1"), on(R2, "node2")));

        assertThat(plan.cable()).isInstanceOfSatisfying(Cable.Tunnel.class, tunnel -> {
            assertThat(tunnel.side()).isEqualTo(Side.A);
            assertThat(tunnel.end().vni()).isEqualTo(4242);
            assertThat(tunnel.end().local()).isEqualTo(NODE1);
            assertThat(tunnel.end().remote()).contains(NODE2);
            assertThat(tunnel.mtu()).isEqualTo(1450);
        });
        assertThat(plan.here()).containsOnlyKeys(Side.A);
    }

    @Test
    void theMtuIsTheSameWhereverThePeerRuns() {
        records.put("node2", new NodeRecord("node2", NODE2, 4789, 1500));
        var link = link(OptionalInt.empty());

        int local = planner.plan(link, attached(on(R1, "node1"), on(R2, "node1"))).mtu();
        int remote = planner.plan(link, attached(on(R1, "node1"), on(R2, "node2"))).mtu();
        int alone = planner.plan(link, attached(on(R1, "node1"))).mtu();

        assertThat(List.of(local, remote, alone)).containsOnly(1450);
    }

    @Test
    void aJumboLinkThatTheUnderlayCannotCarryIsSaidInWords() {
        records.put("node2", new NodeRecord("node2", NODE2, 4789, 1500));

        var across = planner.plan(link(OptionalInt.of(9000)), attached(on(R1, "node1"), on(R2, "node2")));
        var here = planner.plan(link(OptionalInt.of(9000)), attached(on(R1, "node1"), on(R2, "node1")));

        assertThat(across.mtu()).isEqualTo(9000);
        assertThat(across.problem()).get().asString().contains("MTU 9000", "node1", "node2", "1450");
        assertThat(here.problem()).as("on one node nothing limits it").isEmpty();
    }

    @Test
    void aJumboLinkOverAJumboUnderlayIsCarried() {
        var jumbo = new LinkPlanner(new ThisNode("node1", Optional.of(NODE1), 4789, 9100), name -> Optional.of(
                new NodeRecord("node2", NODE2, 4789, 9100)), name -> Optional.empty(), id -> 4242);

        var plan = jumbo.plan(link(OptionalInt.of(9000)), attached(on(R1, "node1"), on(R2, "node2")));

        assertThat(plan.problem()).isEmpty();
        assertThat(((Cable.Tunnel) plan.cable()).mtu()).isEqualTo(9000);
    }

    @Test
    void aPeerNodeWithoutRecordLeavesThePortOpenAndSaysWhy() {
        var plan = planner.plan(link(OptionalInt.empty()), attached(on(R1, "node1"), on(R2, "node9")));

        assertThat(plan.cable()).isInstanceOf(Cable.Open.class);
        assertThat(plan.problem()).get().asString().contains("node9", "no record");
    }

    @Test
    void aPeerNodeWhoseNugatordIsAwayKeepsItsTunnelToTheLastAddressAndStatusSaysWhy() {
        seen.put("node2", new NodeRecord("node2", NODE2, 4789, 1500));

        var plan = planner.plan(link(OptionalInt.empty()), attached(on(R1, "node1"), on(R2, "node2")));

        assertThat(plan.cable()).isInstanceOfSatisfying(Cable.Tunnel.class, t -> assertThat(t.end().remote()).contains(NODE2));
        assertThat(plan.problem()).get().asString().contains("node2", "198.18.0.2");
    }

    @Test
    void nodesOnDifferentVxlanPortsAreRefusedWithBothPortsNamed() {
        records.put("node2", new NodeRecord("node2", NODE2, 8472, 1500));

        assertThatThrownBy(() -> planner.plan(link(OptionalInt.empty()), attached(on(R1, "node1"), on(R2, "node2"))))
                .hasMessageContaining("8472").hasMessageContaining("4789");
    }

    @Test
    void noEndHereMeansNothingHere() {
        var plan = planner.plan(link(OptionalInt.empty()), attached(on(R1, "node2"), on(R2, "node3")));

        assertThat(plan.here()).isEmpty();
        assertThat(plan.cable()).isInstanceOf(Cable.Open.class);
    }

    @Test
    void anIpv6UnderlayLeavesRoomForItsLargerHeaders() {
        var v6 = new ThisNode("node1", Optional.of(InetAddress.ofLiteral("2001:db8::1")), 4789, 1500);

        assertThat(v6.defaultLinkMtu()).isEqualTo(1430);
    }
}
