package dev.nugator.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.cni.Deadline;
import dev.nugator.pairing.Keys;
import dev.nugator.pairing.LinkRegistry;
import dev.nugator.pairing.LinkStatus;
import dev.nugator.pairing.NodeRecord;
import dev.nugator.pairing.PodAttachment;
import dev.nugator.pairing.VniAllocator;
import dev.nugator.store.EmbeddedKvStore;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes' engines over one store and one kernel in memory (pods are told apart by namespace):
 * which kind of end each node makes as the pods move, and the VNI's life.
 */
class CrossNodeEngineTest {
    static final InetAddress NODE1 = InetAddress.ofLiteral("198.18.0.1");
    static final InetAddress NODE2 = InetAddress.ofLiteral("198.18.0.2");
    static final Place.InPod A_ON_1 = new Place.InPod("/run/netns/a1", "in1");
    static final Place.InPod B_ON_2 = new Place.InPod("/run/netns/b2", "in2");
    static final Place.InPod B_ON_1 = new Place.InPod("/run/netns/b1", "in2");

    @TempDir Path dir;
    EmbeddedKvStore store;
    LinkRegistry registry;
    FakeKernel kernel;
    LinkEngine node1;
    LinkEngine node2;

    @BeforeEach
    void setUp() {
        store = EmbeddedKvStore.open(dir.resolve("store.db"));
        registry = new LinkRegistry(store);
        kernel = new FakeKernel();
        node1 = new LinkEngine(registry, kernel, new ThisNode("node1", Optional.of(NODE1), 4789));
        node2 = new LinkEngine(registry, kernel, new ThisNode("node2", Optional.of(NODE2), 4789));
        registry.announce(VethReconcilerTest.LINK);
        publish(new NodeRecord("node1", NODE1, 4789));
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    void publish(NodeRecord node) {
        store.put(Keys.node(node.name()), node.toJson().toString().getBytes(StandardCharsets.UTF_8));
    }

    static Deadline deadline() {
        return Deadline.in(Duration.ofSeconds(5));
    }

    int vni() {
        return new VniAllocator(store).find(VethReconcilerTest.LINK.id()).orElseThrow();
    }

    @Test
    void podsOnTwoNodesGetOneTunnelEndEachWithOneVni() {
        node1.attach(new PodAttachment(VethReconcilerTest.IN1, "c1", A_ON_1.netns(), "node1"), deadline());
        assertThat(kernel.has(VethReconcilerTest.B_PARKED)).as("peer not running yet: parked as on one node").isTrue();

        node2.attach(new PodAttachment(VethReconcilerTest.IN2, "c2", B_ON_2.netns(), "node2"), deadline());
        assertThat(kernel.tunnel(B_ON_2)).isEqualTo(new VxlanEnd(vni(), NODE2, Optional.of(NODE1), 4789));
        assertThat(node2.status().getFirst().b()).satisfies(b -> {
            assertThat(b.state()).isEqualTo("up");
            assertThat(b.kind()).isEqualTo("vxlan");
            assertThat(b.node()).isEqualTo("node2");
        });

        // node1's watch sees pod B start on node2: its veth becomes a tunnel, the parked end goes
        node1.reconcile(VethReconcilerTest.LINK.id());
        assertThat(kernel.has(VethReconcilerTest.B_PARKED)).isFalse();
        assertThat(kernel.tunnel(A_ON_1)).isEqualTo(new VxlanEnd(vni(), NODE1, Optional.empty(), 4789));

        publish(new NodeRecord("node2", NODE2, 4789));
        node1.reconcile(VethReconcilerTest.LINK.id());
        assertThat(kernel.tunnel(A_ON_1).remote()).contains(NODE2);
        assertThat(kernel.ends.get(A_ON_1.netns() + ":in1").addresses).extracting(Object::toString).containsExactly("192.168.2.100/24");
        assertThat(node1.status().getFirst()).satisfies(s -> {
            assertThat(s.state()).isEqualTo(LinkStatus.State.UP);
            assertThat(s.vni()).contains(vni());
            assertThat(s.a().kind()).isEqualTo("vxlan");
        });
    }

    @Test
    void aPodMovingToItsPeersNodeTurnsTheTunnelIntoAVethAndBack() {
        publish(new NodeRecord("node2", NODE2, 4789));
        node1.attach(new PodAttachment(VethReconcilerTest.IN1, "c1", A_ON_1.netns(), "node1"), deadline());
        node2.attach(new PodAttachment(VethReconcilerTest.IN2, "c2", B_ON_2.netns(), "node2"), deadline());
        node1.reconcile(VethReconcilerTest.LINK.id());
        int vni = vni();

        node2.detach(VethReconcilerTest.IN2, "c2", B_ON_2.netns());
        assertThat(kernel.has(B_ON_2)).as("the leaving pod's tunnel end goes").isFalse();
        node1.reconcile(VethReconcilerTest.LINK.id());
        assertThat(kernel.tunnel(A_ON_1)).as("the peer is away: the tunnel waits").isNotNull();

        node1.attach(new PodAttachment(VethReconcilerTest.IN2, "c3", B_ON_1.netns(), "node1"), deadline());
        assertThat(kernel.tunnel(A_ON_1)).isNull();
        assertThat(kernel.carrier(A_ON_1)).isTrue();
        assertThat(kernel.carrier(B_ON_1)).isTrue();
        assertThat(vni()).as("the VNI stays with its link").isEqualTo(vni);

        node1.detach(VethReconcilerTest.IN2, "c3", B_ON_1.netns());
        node2.attach(new PodAttachment(VethReconcilerTest.IN2, "c4", B_ON_2.netns(), "node2"), deadline());
        node1.reconcile(VethReconcilerTest.LINK.id());
        assertThat(kernel.tunnel(A_ON_1)).isEqualTo(new VxlanEnd(vni, NODE1, Optional.of(NODE2), 4789));
        assertThat(kernel.has(VethReconcilerTest.B_PARKED)).isFalse();
    }

    @Test
    void anEndDeletedByHandComesBackAtTheNextReconcile() {
        publish(new NodeRecord("node2", NODE2, 4789));
        node1.attach(new PodAttachment(VethReconcilerTest.IN1, "c1", A_ON_1.netns(), "node1"), deadline());
        node2.attach(new PodAttachment(VethReconcilerTest.IN2, "c2", B_ON_2.netns(), "node2"), deadline());
        kernel.delete(B_ON_2);

        node2.reconcile(VethReconcilerTest.LINK.id());
        assertThat(kernel.tunnel(B_ON_2)).isEqualTo(new VxlanEnd(vni(), NODE2, Optional.of(NODE1), 4789));
    }

    @Test
    void anotherPluginsInterfaceOfTheSameNameIsNeverTaken() {
        publish(new NodeRecord("node2", NODE2, 4789));
        kernel.foreign(B_ON_2, "macvlan");
        node1.attach(new PodAttachment(VethReconcilerTest.IN1, "c1", A_ON_1.netns(), "node1"), deadline());
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> node2.attach(new PodAttachment(VethReconcilerTest.IN2, "c2", B_ON_2.netns(), "node2"), deadline()))
                .hasMessageContaining("already has an interface in2 (macvlan not made for this link)");
        assertThat(kernel.tunnel(B_ON_2)).isNull();
    }

    @Test
    void aLinksVniIsFreedWithItAndNeverShared() throws Exception {
        var one = dev.nugator.pairing.Topology.parse(dev.nugator.cni.Json.MAPPER.readTree("""
                {"name": "t", "links": [
                  {"a": {"pod": "p1", "ifname": "e1", "ipv4": "10.0.0.1/30"}, "b": {"pod": "p2", "ifname": "e1", "ipv4": "10.0.0.2/30"}},
                  {"a": {"pod": "p1", "ifname": "e2", "ipv4": "10.0.1.1/30"}, "b": {"pod": "p3", "ifname": "e1", "ipv4": "10.0.1.2/30"}}]}
                """));
        registry.apply(one);
        var vnis = new VniAllocator(store);
        int first = vnis.allocate(one.links().get(0).id());
        int second = vnis.allocate(one.links().get(1).id());
        assertThat(vnis.allocate(one.links().get(0).id())).isEqualTo(first);
        assertThat(second).isNotEqualTo(first);

        registry.deleteTopology("t");
        assertThat(store.range(Keys.VNIS)).isEmpty();
        assertThat(store.range(Keys.LINK_VNIS)).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new VniAllocator(store).allocate(one.links().get(0).id()))
                .hasMessageContaining("was removed");
    }
}
