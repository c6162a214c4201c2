package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.Await;
import dev.nugator.testkit.HostLocalLeases;
import dev.nugator.testkit.Link;
import dev.nugator.testkit.Nugatord;
import dev.nugator.testkit.RootIntegrationTest;
import dev.nugator.testkit.StoreKeys;
import dev.nugator.testkit.cri.CriLab;
import dev.nugator.testkit.cri.CriSandbox;
import dev.nugator.testkit.cri.SandboxNetns;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The end of a sandbox on the kubelet's path, with the seed's pair: {@code StopPodSandbox} is
 * containerd's CNI DEL; after it nothing of the pod is left (netns, panel port, attachment, store
 * entry, pod network lease), its peer keeps its interface without carrier, and the pod's next
 * sandbox (a new pod object: new uid, new netns) gets the link back on the same peer interface.
 * containerd repeats DEL (a second stop, and remove stops again): every call succeeds.
 */
@RootIntegrationTest
class CriSandboxLifecycleTest {
    @RegisterExtension
    static final CriLab lab = CriLab.create();

    @Test
    void stopAndRemoveLeaveNothingThePeerKeepsItsInterfaceAndTheNextSandboxGetsTheLinkBack() {
        CriSeed.announce(lab);
        CriSandbox primary = lab.run(lab.pod("default", CriSeed.PRIMARY));
        CriSandbox pair = lab.run(lab.pod("default", CriSeed.PAIR));
        SandboxNetns primaryNetns = primary.netns();
        var in2 = pair.netns().requireIface("in2");
        assertThat(in2.hasCarrier()).isTrue();

        primary.stop();
        assertNothingLeftOf(primary, primaryNetns);
        var in2Alone = awaitCarrier(pair.netns(), "in2", false);
        assertThat(in2Alone.index()).as("pair-pod's in2 is the same interface").isEqualTo(in2.index());
        assertThat(lab.panelPorts()).as("only pair-pod's port, down").singleElement().satisfies(p -> assertThat(p.isUp()).isFalse());
        var end = lab.ctl().status().link("default/" + CriSeed.PRIMARY + ":in1").end("default/" + CriSeed.PRIMARY + ":in1");
        assertThat(end.state()).as("%s", end).isEqualTo("pending");
        primary.remove();
        assertThat(lab.cri().listPodSandbox()).as("sandboxes containerd knows").singleElement()
                .satisfies(s -> assertThat(s.getId()).isEqualTo(pair.id()));

        CriSandbox again = lab.run(primary.pod().recreated(lab.containerd().cgroupRoot()));
        assertThat(again.netns().path()).as("a new netns").isNotEqualTo(primaryNetns.path());
        assertThat(again.netns().requireIface("in1").ipv4()).containsExactly(CriSeed.PRIMARY_IP + "/24");
        var in2Back = awaitCarrier(pair.netns(), "in2", true);
        assertThat(in2Back.index()).as("pair-pod's in2 is still the same interface").isEqualTo(in2.index());
        again.netns().assertPings(CriSeed.PAIR_IP);
        pair.netns().assertPings(CriSeed.PRIMARY_IP);
    }

    @Test
    void containerdRepeatsDelOnAStoppedSandboxAndEveryCallSucceeds() {
        CriSeed.announce(lab);
        CriSandbox primary = lab.run(lab.pod("default", CriSeed.PRIMARY));
        CriSandbox pair = lab.run(lab.pod("default", CriSeed.PAIR));
        SandboxNetns primaryNetns = primary.netns();

        primary.stop();
        primary.stop();
        primary.remove();

        assertThat(delsOf(primary.id())).as("DELs nugatord got for %s (debug log)", primary.id()).isGreaterThanOrEqualTo(2);
        assertNothingLeftOf(primary, primaryNetns);
        assertThat(pair.netns().requireIface("in2").hasCarrier()).isFalse();

        pair.stop();
        pair.stop();
        pair.remove();
        assertThat(lab.cri().listPodSandbox()).as("sandboxes containerd knows").isEmpty();
        assertThat(lab.panelPorts()).as("ports left in the panel").isEmpty();
        assertThat(HostLocalLeases.in(lab.leases())).as("pod network leases").isEmpty();
        assertThat(lab.node().netns().links().stream().filter(l -> !l.master().isEmpty()).map(Link::name).toList())
                .as("bridge ports left in the node").isEmpty();
        assertThat(TestNetwork.jsonFilesUnder(lab.daemon().stateDir().resolve("attachments"))).as("attachment records").isEmpty();
    }

    /** After the sandbox's DEL: its netns, its port, its attachment, its store entry and its lease are gone. */
    private static void assertNothingLeftOf(CriSandbox sandbox, SandboxNetns netns) {
        assertThat(netns.exists()).as("%s's netns %s", sandbox, netns.path()).isFalse();
        assertThat(HostLocalLeases.ownedBy(lab.leases(), sandbox.id())).as("%s's pod network lease", sandbox).isEmpty();
        assertThat(TestNetwork.jsonFilesUnder(lab.daemon().stateDir().resolve("attachments").resolve(CriLab.NETWORK)
                .resolve(sandbox.id()))).as("nugatord's attachment record of %s", sandbox).isEmpty();
        StoreKeys.under(lab.daemon(), "/nugator/v1/pods/" + sandbox.pod().podKey()).ifPresent(keys ->
                assertThat(keys).as("store entry of %s\n%s", sandbox, Nugatord.tail(lab.daemon().log())).isEmpty());
        assertThat(lab.node().netns().linkNames()).as("links in the node").doesNotContain("in1", "in2");
    }

    private static SandboxNetns.Iface awaitCarrier(SandboxNetns netns, String ifname, boolean carrier) {
        return Await.until(ifname + (carrier ? " with" : " without") + " carrier in " + netns.path(),
                () -> netns.requireIface(ifname), i -> i.hasCarrier() == carrier);
    }

    private static long delsOf(String containerId) {
        List<String> lines = lab.daemon().log().lines().toList();
        return lines.stream().filter(l -> l.contains("DEL container=" + containerId)).count();
    }
}
