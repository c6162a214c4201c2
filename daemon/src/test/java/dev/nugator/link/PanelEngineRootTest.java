package dev.nugator.link;

import static dev.nugator.link.PanelLab.carrier;
import static dev.nugator.link.PanelLab.link;
import static dev.nugator.link.PanelLab.links;
import static dev.nugator.link.PanelLab.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nugator.cni.Deadline;
import dev.nugator.netlink.NetnsPath;
import dev.nugator.pairing.Endpoint;
import dev.nugator.pairing.IfAddress;
import dev.nugator.pairing.LinkSpec;
import dev.nugator.pairing.PodAttachment;
import dev.nugator.pairing.PodRef;
import dev.nugator.pairing.Side;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The link engine against the real kernel: pod sides in pod namespaces, ports and tunnels in a
 * real panel, wired with tc. What a pod sees of its link interface must not change while it runs,
 * whatever happens to its peer.
 */
@RootOnly
class PanelEngineRootTest {
    static final PodRef R1 = new PodRef("default", "r1");
    static final PodRef R2 = new PodRef("default", "r2");

    @RegisterExtension
    final PanelLab lab = new PanelLab();

    static LinkSpec wire(OptionalInt mtu) {
        return LinkSpec.of(new Endpoint(R1, "e1", List.of(IfAddress.parse("192.0.2.1/30")), Optional.empty()),
                new Endpoint(R2, "e1", List.of(IfAddress.parse("192.0.2.2/30")), Optional.empty()), mtu, false, false, Map.of(), "test");
    }

    static List<PodEnd> add(PanelLab.Node node, PodRef pod, String container, NetnsPath netns) {
        return node.engine().attach(new PodAttachment(pod, container, netns, node.name()), Deadline.in(Duration.ofSeconds(30)));
    }

    /** Two running pods, r1 in {@code a} and r2 in {@code b}, on {@code node}, joined by {@code link}. */
    record Pair(PanelLab.Node node, NetnsPath a, NetnsPath b) {}

    Pair pairOn(PanelLab.Node node, LinkSpec link) {
        var pods = podsOn(node, node, link);
        return new Pair(node, pods.get(0), pods.get(1));
    }

    /** The store holds {@code link}; r1 runs on {@code first}, r2 on {@code second}: their namespaces. */
    List<NetnsPath> podsOn(PanelLab.Node first, PanelLab.Node second, LinkSpec link) {
        lab.registry().announce(link);
        var a = lab.pod();
        var b = lab.pod();
        add(first, R1, "c1", a);
        add(second, R2, "c2", b);
        return List.of(a, b);
    }

    static JsonNode end(NetnsPath pod) {
        return link(name(pod), "e1").orElseThrow(() -> new AssertionError("no e1 in " + pod + ": " + links(name(pod))));
    }

    /** Whether a ping is answered within three tries (the first may be lost while the kernel brings a port up). */
    static boolean pings(NetnsPath from, String address) {
        for (int i = 0; i < 3; i++) {
            try {
                PanelLab.run(List.of("ip", "netns", "exec", name(from), "busybox", "ping", "-c", "1", "-W", "2", address));
                return true;
            } catch (AssertionError e) {
                // the first may be lost while the kernel brings a port up: try again
            }
        }
        return false;
    }

    @Test
    void theFirstPodsEndIsThereWithoutCarrierAndItsPortWaitsDownInThePanel() {
        var node = lab.node("node1");
        var link = wire(OptionalInt.empty());
        lab.registry().announce(link);
        var a = lab.pod();

        var ends = add(node, R1, "c1", a);

        assertThat(ends).singleElement().satisfies(e -> assertThat(e.endpoint().ifname()).isEqualTo("e1"));
        var e1 = end(a);
        assertThat(carrier(e1)).as("no peer: no carrier").isFalse();
        assertThat(e1.path("mtu").asInt()).as("the underlay's 1500 less VXLAN's 50").isEqualTo(1450);
        assertThat(e1.path("group").asText()).isIn("7239015", "0x6e7567");
        var port = link(node.panelName(), PanelNames.port(link.id(), Side.A)).orElseThrow();
        assertThat(port.path("flags").toString()).doesNotContain("\"UP\"");
        assertThat(links(node.netns())).extracting(l -> l.path("ifname").asText()).as("nothing of ours in the node").containsOnly("lo", "eth0");
    }

    @Test
    void theSecondPodBringsCarrierToBothAndFramesCrossThePanel() {
        var node = lab.node("node1");
        lab.registry().announce(wire(OptionalInt.empty()));
        var a = lab.pod();
        var b = lab.pod();

        add(node, R1, "c1", a);
        add(node, R2, "c2", b);

        assertThat(carrier(end(a))).isTrue();
        assertThat(carrier(end(b))).isTrue();
        assertThat(pings(a, "192.0.2.2")).as("a ping from r1 to r2 across the panel").isTrue();
    }

    @Test
    void aPeerThatStopsAndComesBackNeverChangesThePodsInterface() {
        var pair = pairOn(lab.node("node1"), wire(OptionalInt.empty()));
        var node = pair.node();
        var a = pair.a();
        var b = pair.b();
        int index = end(a).path("ifindex").asInt();

        node.engine().detach(R2, "c2", "", "");
        lab.deleteNamespace(b);
        assertThat(carrier(end(a))).as("peer gone: cable unplugged").isFalse();

        var b2 = lab.pod();
        add(node, R2, "c3", b2);

        assertThat(end(a).path("ifindex").asInt()).isEqualTo(index);
        assertThat(carrier(end(a))).isTrue();
        assertThat(pings(b2, "192.0.2.1")).isTrue();
    }

    @Test
    void aPeerMovingToAnotherNodeAndBackChangesOnlyThePanels() {
        var node1 = lab.node("node1");
        var node2 = lab.node("node2");
        var node3 = lab.node("node3");
        var link = wire(OptionalInt.empty());
        var pods = podsOn(node2, node2, link);
        var a = pods.get(0);
        var b = pods.get(1);
        int index = end(a).path("ifindex").asInt();
        assertThat(pings(a, "192.0.2.2")).isTrue();

        // r2 moves to node3: node2's DEL, node3's ADD; node2 hears of it as its watch would tell it
        node2.engine().detach(R2, "c2", "", "");
        lab.deleteNamespace(b);
        var b3 = lab.pod();
        add(node3, R2, "c3", b3);
        node2.engine().reconcile(link);

        assertThat(end(a).path("ifindex").asInt()).as("r1's e1 stayed").isEqualTo(index);
        assertThat(link(node2.panelName(), PanelNames.tunnel(link.id()))).as("node2 reaches node3 by VXLAN").isPresent();
        assertThat(pings(a, "192.0.2.2")).as("across nodes").isTrue();

        // and back to node2
        node3.engine().detach(R2, "c3", "", "");
        lab.deleteNamespace(b3);
        node2.engine().reconcile(link);
        var b2 = lab.pod();
        add(node2, R2, "c4", b2);
        node3.engine().reconcile(link);

        assertThat(end(a).path("ifindex").asInt()).isEqualTo(index);
        awaitGone(node2, PanelNames.tunnel(link.id()));   // no tunnel on one node: retired, then removed
        assertPanelEmpties(node3);
        assertThat(pings(a, "192.0.2.2")).isTrue();
        assertThat(node1.engine().status()).isNotEmpty();
    }

    @Test
    void anEngineStartedAgainOverItsPanelChangesNothing() {
        var link = wire(OptionalInt.empty());
        var pair = pairOn(lab.node("node1"), link);
        var node = pair.node();
        var a = pair.a();
        var b = pair.b();
        int indexA = end(a).path("ifindex").asInt();
        int port = link(node.panelName(), PanelNames.port(link.id(), Side.A)).orElseThrow().path("ifindex").asInt();

        lab.stop(node);
        var again = lab.start("node1", node.netns(), Optional.empty());
        again.engine().resync(lab.registry().snapshot());

        assertThat(end(a).path("ifindex").asInt()).isEqualTo(indexA);
        assertThat(link(again.panelName(), PanelNames.port(link.id(), Side.A)).orElseThrow().path("ifindex").asInt()).isEqualTo(port);
        assertThat(pings(a, "192.0.2.2")).isTrue();
    }

    @Test
    void anMtuChangeIsMadeInPlace() {
        var pair = pairOn(lab.node("node1"), wire(OptionalInt.empty()));
        var node = pair.node();
        var a = pair.a();
        var b = pair.b();
        int index = end(a).path("ifindex").asInt();

        var jumbo = wire(OptionalInt.of(9000));
        lab.registry().announce(jumbo);
        node.engine().reconcile(jumbo);

        assertThat(end(a).path("ifindex").asInt()).isEqualTo(index);
        assertThat(end(a).path("mtu").asInt()).isEqualTo(9000);
        assertThat(end(b).path("mtu").asInt()).isEqualTo(9000);
        assertThat(pings(a, "192.0.2.2")).isTrue();
    }

    @Test
    void anAddWhoseWriteFailsLeavesNoEndItMadeMeanwhile() throws Exception {
        // The pod's ends are made while its write is in flight: a write that fails takes them back.
        var node = lab.node("node1");
        lab.registry().announce(wire(OptionalInt.empty()));
        var a = lab.pod();
        // An immutable store file refuses writes even to root, as a failing disk would; reads still work.
        PanelLab.run(java.util.stream.Stream.concat(java.util.stream.Stream.of("chattr", "+i"), lab.storeFiles().stream().map(Path::toString)).toList());
        try {
            assertThatThrownBy(() -> add(node, R1, "c1", a)).isInstanceOf(dev.nugator.store.StoreUnavailableException.class);
        } finally {
            PanelLab.run(java.util.stream.Stream.concat(java.util.stream.Stream.of("chattr", "-i"), lab.storeFiles().stream().map(Path::toString)).toList());
        }

        assertThat(link(name(a), "e1")).as("the end made beside the write").isEmpty();
        assertThat(links(node.panelName())).extracting(l -> l.path("ifname").asText()).containsOnly("lo");
        assertThat(lab.registry().attachment(R1)).isEmpty();
    }

    @Test
    void aRemovedLinkLeavesNothingInThePodsOrThePanel() {
        var link = wire(OptionalInt.empty());
        var pair = pairOn(lab.node("node1"), link);
        var node = pair.node();
        var a = pair.a();
        var b = pair.b();

        node.engine().remove(link.id());

        assertThat(link(name(a), "e1")).isEmpty();
        assertThat(link(name(b), "e1")).isEmpty();
        assertThat(links(node.panelName())).extracting(l -> l.path("ifname").asText()).containsOnly("lo");
    }

    @Test
    void theResyncSweepsWhatOutlivedItsLinkAndWhatAnEarlierVersionParked() {
        var node = lab.node("node1");
        var link = wire(OptionalInt.empty());
        lab.registry().announce(link);
        var a = lab.pod();
        add(node, R1, "c1", a);
        // a link deleted while nugatord was down, and an end an earlier version parked in the node
        PanelLab.ipIn(node.panelName(), "link", "add", "0123456789abc-a", "type", "veth", "peer", "name", "other");
        PanelLab.ipIn(node.netns(), "link", "add", "nug0123456789a", "type", "veth", "peer", "name", "nugx");
        PanelLab.ipIn(node.netns(), "link", "set", "nug0123456789a", "alias", "nugator:0123456789abcdef:A");

        node.engine().resync(lab.registry().snapshot());

        assertThat(links(node.panelName())).extracting(l -> l.path("ifname").asText())
                .as("the stray veth went, and its peer with it").containsExactlyInAnyOrder("lo", PanelNames.port(link.id(), Side.A));
        assertThat(links(node.netns())).extracting(l -> l.path("ifname").asText()).containsOnly("lo", "eth0");
        assertThat(end(a)).isNotNull();
    }

    @Test
    void aDelFromAnotherPodUidLeavesTheLinksOfThePodAttachedNow() {
        var node = lab.node("node1");
        lab.registry().announce(wire(OptionalInt.empty()));
        var a = lab.pod();
        var b = lab.pod();
        add(node, R1, "c1", a);
        node.engine().attach(new PodAttachment(R2, "c2", b, node.name(), "", "uid-new"), Deadline.in(Duration.ofSeconds(30)));

        node.engine().detach(R2, "c2", "", "uid-old");   // the kubelet's late DEL of an earlier pod of that name

        assertThat(carrier(end(a))).isTrue();
        assertThat(carrier(end(b))).isTrue();
        node.engine().detach(R2, "c2", "", "uid-new");
        assertThat(link(name(b), "e1")).isEmpty();
    }

    @Test
    void aDelRetiresItsTunnelWhichGoesAMomentLater() {
        // Removing a device waits for the kernel's RCU grace periods: a DEL retires its tunnels, the
        // reaper removes them a moment later with whatever else was retired meanwhile.
        lab.node("node1");
        var node2 = lab.node("node2");
        var node3 = lab.node("node3");
        var link = wire(OptionalInt.empty());
        var pods = podsOn(node2, node3, link);
        var a = pods.get(0);
        var b = pods.get(1);
        node2.engine().reconcile(link);   // node2 hears of r2 as its watch would tell it
        assertThat(pings(a, "192.0.2.2")).as("across nodes").isTrue();

        node3.engine().detach(R2, "c2", "", "");

        assertThat(link(name(b), "e1")).as("r2's end went").isEmpty();
        link(node3.panelName(), PanelNames.tunnel(link.id())).ifPresent(tunnel -> {   // unless its batch went already
            assertThat(tunnel.path("group").asText()).isEqualTo(String.valueOf(PanelKernel.RETIRED_GROUP));
            assertThat(tunnel.path("flags").toString()).doesNotContain("\"UP\"");
        });
        assertPanelEmpties(node3);
    }

    /** A device retired from a panel is gone once its batch has gone (within 5 s). */
    static void awaitGone(PanelLab.Node node, String device) {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (link(node.panelName(), device).isPresent() && System.nanoTime() < until) {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
        assertThat(link(node.panelName(), device)).as(device + " in " + node.name() + "'s panel").isEmpty();
    }

    /** A panel whose last devices were retired is left with lo once their batch has gone (within 5 s). */
    static void assertPanelEmpties(PanelLab.Node node) {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (links(node.panelName()).size() > 1 && System.nanoTime() < until) {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
        assertThat(links(node.panelName())).extracting(l -> l.path("ifname").asText()).as(node.name() + "'s panel empties").containsOnly("lo");
    }

    @Test
    void aDelTakesThePodsEndsInOneGoAndItsPeersPortDown() {
        var link = wire(OptionalInt.empty());
        var pair = pairOn(lab.node("node1"), link);
        var node = pair.node();
        var a = pair.a();
        var b = pair.b();

        node.engine().detach(R1, "c1", "", "");

        assertThat(link(name(a), "e1")).as("r1's end went").isEmpty();
        assertThat(link(node.panelName(), PanelNames.port(link.id(), Side.A))).as("with its port").isEmpty();
        var peerPort = link(node.panelName(), PanelNames.port(link.id(), Side.B)).orElseThrow();
        assertThat(peerPort.path("flags").toString()).doesNotContain("\"UP\"");
        assertThat(carrier(end(b))).isFalse();
    }
}
