package dev.nugator.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nugator.cni.Deadline;
import dev.nugator.pairing.LinkRegistry;
import dev.nugator.pairing.LinkStatus;
import dev.nugator.pairing.PodAttachment;
import dev.nugator.store.EmbeddedKvStore;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine over a real embedded store and a kernel in memory: attach, detach, status, check. */
class LinkEngineTest {
    @TempDir Path dir;
    EmbeddedKvStore store;
    LinkRegistry registry;
    FakeKernel kernel;
    LinkEngine engine;

    @BeforeEach
    void setUp() {
        store = EmbeddedKvStore.open(dir.resolve("store.db"));
        registry = new LinkRegistry(store);
        kernel = new FakeKernel();
        engine = new LinkEngine(registry, kernel, "node1");
        registry.announce(VethReconcilerTest.LINK);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    static Deadline deadline() {
        return Deadline.in(Duration.ofSeconds(5));
    }

    LinkStatus status() {
        return engine.status().getFirst();
    }

    @Test
    void statusFollowsThePodsThroughTheirLives() {
        assertThat(status().state()).isEqualTo(LinkStatus.State.PENDING);
        var ends = engine.attach(new PodAttachment(VethReconcilerTest.IN1, "c1", "/run/netns/a1", "node1"), deadline());
        assertThat(ends).singleElement().satisfies(e -> assertThat(e.place().name()).isEqualTo("in1"));
        assertThat(status().state()).isEqualTo(LinkStatus.State.PENDING);
        assertThat(status().reason()).contains("default/in2-pod is not running");

        engine.attach(new PodAttachment(VethReconcilerTest.IN2, "c2", "/run/netns/b1", "node1"), deadline());
        assertThat(status().state()).isEqualTo(LinkStatus.State.UP);

        engine.detach(VethReconcilerTest.IN2, "c2", "/run/netns/b1");
        assertThat(status().state()).isEqualTo(LinkStatus.State.PENDING);
        assertThat(kernel.has(VethReconcilerTest.B_PARKED)).isTrue();
        assertThat(kernel.has(VethReconcilerTest.A_IN_POD)).isTrue();
    }

    @Test
    void anOldContainersDelLeavesTheNewOnesLinkAlone() {
        engine.attach(new PodAttachment(VethReconcilerTest.IN1, "old", "/run/netns/a1", "node1"), deadline());
        engine.attach(new PodAttachment(VethReconcilerTest.IN1, "new", "/run/netns/a2", "node1"), deadline());
        engine.detach(VethReconcilerTest.IN1, "old", "/run/netns/a1");
        assertThat(registry.attachment(VethReconcilerTest.IN1)).hasValueSatisfying(a -> assertThat(a.containerId()).isEqualTo("new"));
        assertThat(kernel.has(new Place.InPod("/run/netns/a2", "in1"))).isTrue();
    }

    @Test
    void checkNamesTheLinkWhenItsInterfaceOrAddressIsMissing() {
        engine.attach(new PodAttachment(VethReconcilerTest.IN1, "c1", "/run/netns/a1", "node1"), deadline());
        assertThat(engine.check(VethReconcilerTest.IN1, "/run/netns/a1")).isEmpty();
        kernel.ends.get("/run/netns/a1:in1").addresses.clear();
        assertThat(engine.check(VethReconcilerTest.IN1, "/run/netns/a1")).singleElement()
                .asString().contains("in1 lacks address 192.168.2.100/24");
        kernel.delete(VethReconcilerTest.A_IN_POD);
        assertThat(engine.check(VethReconcilerTest.IN1, "/run/netns/a1")).singleElement()
                .asString().contains("interface in1 is missing");
    }

    @Test
    void aRemovedLinkLeavesNothing() {
        engine.attach(new PodAttachment(VethReconcilerTest.IN1, "c1", "/run/netns/a1", "node1"), deadline());
        engine.remove(VethReconcilerTest.LINK);
        assertThat(kernel.ends).isEmpty();
    }

    @Test
    void aLinkToAnotherNodeNeedsThisNodesUnderlayAddress() {
        registry.attach(new PodAttachment(VethReconcilerTest.IN2, "c2", "/run/netns/b1", "node2"));
        assertThatThrownBy(() -> engine.attach(new PodAttachment(VethReconcilerTest.IN1, "c1", "/run/netns/a1", "node1"), deadline()))
                .hasMessageContaining("node node1 has no underlay address for VXLAN (start nugatord with --node-address)");
        assertThat(kernel.has(VethReconcilerTest.B_IN_POD)).isFalse();
        assertThat(status().state()).isEqualTo(LinkStatus.State.ERROR);
        assertThat(status().b()).satisfies(b -> assertThat(b.state()).isEqualTo("remote"));
    }

    @Test
    void theSweepRemovesEndsOfLinksNoLongerStoredAndNothingElse() {
        var pod = new PodAttachment(VethReconcilerTest.IN1, "c1", "/run/netns/a1", "node1");
        engine.attach(pod, deadline());
        var stale = new Place.InPod("/run/netns/a1", "old0");
        kernel.createPair(stale, new Place.Parked("nugdeadbeef01"), java.util.OptionalInt.empty(), java.util.Optional.empty(),
                java.util.Optional.empty(), "nugator:deadbeefdeadbeef:A", "nugator:deadbeefdeadbeef:B");
        kernel.foreign(new Place.InPod("/run/netns/a1", "eth0"), "macvlan");

        engine.sweep(java.util.Set.of(VethReconcilerTest.LINK.id()), java.util.List.of(pod));

        assertThat(kernel.has(stale)).isFalse();
        assertThat(kernel.has(new Place.Parked("nugdeadbeef01"))).isFalse();
        assertThat(kernel.has(VethReconcilerTest.A_IN_POD)).isTrue();
        assertThat(kernel.has(VethReconcilerTest.B_PARKED)).isTrue();
        assertThat(kernel.has(new Place.InPod("/run/netns/a1", "eth0"))).isTrue();
    }
}
