package dev.nugator.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.pairing.Endpoint;
import dev.nugator.pairing.IfAddress;
import dev.nugator.pairing.LinkSpec;
import dev.nugator.pairing.PodAttachment;
import dev.nugator.pairing.PodRef;
import dev.nugator.pairing.Side;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The engine's decisions for one same-node link, against a kernel in memory. */
class VethReconcilerTest {
    static final PodRef IN1 = new PodRef("default", "in1-pod");
    static final PodRef IN2 = new PodRef("default", "in2-pod");
    static final LinkSpec LINK = LinkSpec.of(
            new Endpoint(IN1, "in1", List.of(IfAddress.parse("192.168.2.100")), Optional.empty()),
            new Endpoint(IN2, "in2", List.of(IfAddress.parse("192.168.2.101")), Optional.empty()),
            OptionalInt.empty(), true, false, Map.of(), "announce");
    static final Place.InPod A_IN_POD = new Place.InPod("/run/netns/a1", "in1");
    static final Place.InPod B_IN_POD = new Place.InPod("/run/netns/b1", "in2");
    static final Place.Parked A_PARKED = new Place.Parked(ParkedNames.of(LINK.id(), Side.A));
    static final Place.Parked B_PARKED = new Place.Parked(ParkedNames.of(LINK.id(), Side.B));

    final FakeKernel kernel = new FakeKernel();
    final VethReconciler reconciler = new VethReconciler(kernel);

    static Map<Side, PodAttachment> present(String... netns) {
        var map = new EnumMap<Side, PodAttachment>(Side.class);
        for (String ns : netns) {
            if (ns.contains("/a")) {
                map.put(Side.A, new PodAttachment(IN1, "c-" + ns, ns, "n"));
            } else {
                map.put(Side.B, new PodAttachment(IN2, "c-" + ns, ns, "n"));
            }
        }
        return map;
    }

    @Test
    void firstPodGetsItsInterfaceAndThePeersEndIsParked() {
        var ends = reconciler.reconcile(LINK, present("/run/netns/a1"), Map.of());
        assertThat(kernel.has(A_IN_POD)).isTrue();
        assertThat(kernel.has(B_PARKED)).isTrue();
        assertThat(kernel.carrier(A_IN_POD)).isFalse();
        assertThat(ends).singleElement().satisfies(e -> {
            assertThat(e.place()).isEqualTo(A_IN_POD);
            assertThat(e.info().addresses()).containsExactly(IfAddress.parse("192.168.2.100/24"));
        });
    }

    @Test
    void secondPodTakesItsParkedEndAndTheCarrierComesUp() {
        reconciler.reconcile(LINK, present("/run/netns/a1"), Map.of());
        reconciler.reconcile(LINK, present("/run/netns/a1", "/run/netns/b1"), Map.of());
        assertThat(kernel.operations).containsExactly("create " + A_IN_POD + " = " + B_PARKED, "move " + B_PARKED + " -> " + B_IN_POD);
        assertThat(kernel.carrier(A_IN_POD)).isTrue();
        assertThat(kernel.carrier(B_IN_POD)).isTrue();
    }

    @Test
    void runningAgainChangesNothing() {
        reconciler.reconcile(LINK, present("/run/netns/a1", "/run/netns/b1"), Map.of());
        int before = kernel.operations.size();
        reconciler.reconcile(LINK, present("/run/netns/a1", "/run/netns/b1"), Map.of());
        assertThat(kernel.operations).hasSize(before);
    }

    @Test
    void aLeavingPodsEndIsParkedAndThePeerKeepsItsInterface() {
        reconciler.reconcile(LINK, present("/run/netns/a1", "/run/netns/b1"), Map.of());
        var peerIndex = kernel.find(B_IN_POD).orElseThrow().index();
        reconciler.reconcile(LINK, present("/run/netns/b1"), Map.of(Side.A, A_IN_POD));
        assertThat(kernel.has(A_PARKED)).isTrue();
        assertThat(kernel.find(B_IN_POD).orElseThrow().index()).as("the same interface, not a new one").isEqualTo(peerIndex);
        assertThat(kernel.carrier(B_IN_POD)).isFalse();
    }

    @Test
    void aRestartedPodGetsItsEndBackInItsNewNamespace() {
        reconciler.reconcile(LINK, present("/run/netns/a1", "/run/netns/b1"), Map.of());
        reconciler.reconcile(LINK, present("/run/netns/b1"), Map.of(Side.A, A_IN_POD));
        reconciler.reconcile(LINK, present("/run/netns/a2", "/run/netns/b1"), Map.of());
        var restarted = new Place.InPod("/run/netns/a2", "in1");
        assertThat(kernel.carrier(restarted)).isTrue();
        assertThat(kernel.has(A_PARKED)).isFalse();
    }

    @Test
    void bothPodsGoneLeavesNothing() {
        reconciler.reconcile(LINK, present("/run/netns/a1", "/run/netns/b1"), Map.of());
        reconciler.reconcile(LINK, present("/run/netns/b1"), Map.of(Side.A, A_IN_POD));
        reconciler.reconcile(LINK, present(), Map.of(Side.B, B_IN_POD));
        assertThat(kernel.ends).isEmpty();
    }

    @Test
    void aPodThatDiedWithoutDelLeavesItsPeerAFreshInterface() {
        reconciler.reconcile(LINK, present("/run/netns/a1", "/run/netns/b1"), Map.of());
        kernel.destroyNamespace("/run/netns/a1");
        assertThat(kernel.has(B_IN_POD)).isFalse();
        reconciler.reconcile(LINK, present("/run/netns/b1"), Map.of());
        assertThat(kernel.has(B_IN_POD)).isTrue();
        assertThat(kernel.has(A_PARKED)).isTrue();
    }

    @Test
    void removingALinkTakesItsEndsOutOfThePodsAndTheParking() {
        reconciler.reconcile(LINK, present("/run/netns/a1"), Map.of());
        reconciler.remove(LINK, present("/run/netns/a1"));
        assertThat(kernel.ends).isEmpty();
    }

    @Test
    void anotherPluginsInterfaceOfTheSameNameIsNeverTaken() {
        kernel.foreign(A_IN_POD, "veth");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> reconciler.reconcile(LINK, present("/run/netns/a1"), Map.of()))
                .isInstanceOf(LinkConflictException.class).hasMessageContaining("in1").hasMessageContaining("not made for this link");
        assertThat(kernel.has(A_IN_POD)).isTrue();
        reconciler.remove(LINK, present("/run/netns/a1"));
        assertThat(kernel.has(A_IN_POD)).as("remove leaves it alone too").isTrue();
    }

    @Test
    void anEndMadeButNotMarkedBeforeACrashIsRecognisedByItsParkedPeer() {
        reconciler.reconcile(LINK, present("/run/netns/a1"), Map.of());
        kernel.ends.get("/run/netns/a1:in1").alias = "";
        reconciler.reconcile(LINK, present("/run/netns/a1", "/run/netns/b1"), Map.of());
        assertThat(kernel.carrier(A_IN_POD)).isTrue();
        assertThat(kernel.find(A_IN_POD).orElseThrow().alias()).isEqualTo(Ownership.alias(LINK.id(), Side.A));
    }
}
