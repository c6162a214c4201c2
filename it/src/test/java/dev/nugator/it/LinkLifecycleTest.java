package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nugator.testkit.CniCall;
import dev.nugator.testkit.HostLocalLeases;
import dev.nugator.testkit.IpAddr;
import dev.nugator.testkit.LabPod;
import dev.nugator.testkit.Link;
import dev.nugator.testkit.LinkLab;
import dev.nugator.testkit.LinkStatusReport;
import dev.nugator.testkit.Names;
import dev.nugator.testkit.NetConf;
import dev.nugator.testkit.Ping;
import dev.nugator.testkit.Pod;
import dev.nugator.testkit.RootIntegrationTest;
import dev.nugator.testkit.StoreKeys;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The life of a linked pair on one node, driven as a runtime drives it (plain CNI calls through
 * dist/bin/nugator, pods named in CNI_ARGS): the first pod gets its interface at once, without
 * carrier, its port waiting down in the panel; the second pod's arrival wires the two ports and
 * brings carrier to both; DEL of one takes its end and unplugs the other (same interface, no
 * carrier) until a restart plugs it back; DEL of both leaves nothing.
 */
@RootIntegrationTest
class LinkLifecycleTest {
    private static final String A_IP = "192.0.2.1";
    private static final String B_IP = "192.0.2.2";
    /** A side's port in the panel: 13 hex digits of the link id, then -a or -b (README). */
    private static final String PORT_NAME = "[0-9a-f]{13}-[ab]";

    @RegisterExtension
    final LinkLab lab = LinkLab.create();

    private LabPod r1;
    private LabPod r2;

    @BeforeEach
    void announceThePair() {
        lab.announce("r1", "e1", A_IP + "/30", "r2", "e1", B_IP + "/30");
        r1 = lab.pod("r1");
        r2 = lab.pod("r2");
    }

    @Test
    void firstPodGetsItsInterfaceWithoutCarrierAndItsPortWaitsDownInThePanel() {
        JsonNode result = r1.attach();

        Link e1 = r1.requireLink("e1");
        assertThat(e1.addresses()).as("addresses of e1 in %s", r1).extracting(IpAddr::cidr).contains(A_IP + "/30");
        assertThat(e1.isUp()).as("e1 is set up: %s", e1).isTrue();
        assertThat(LabPod.carrier(e1)).as("no carrier while the peer is away: %s", e1).isFalse();
        assertThat(e1.kind()).isEqualTo("veth");

        // The ADD result lists the link interface with its mac and sandbox, and its address points at it.
        JsonNode interfaces = result.path("interfaces");
        int index = indexOf(interfaces, "e1");
        assertThat(index).as("e1 in the ADD result's interfaces: %s", result).isNotNegative();
        JsonNode iface = interfaces.get(index);
        assertThat(iface.path("mac").asText()).as("mac in the ADD result: %s", result).isEqualToIgnoringCase(e1.mac());
        assertThat(iface.path("sandbox").asText()).as("sandbox in the ADD result: %s", result).isEqualTo(r1.sandbox().netnsPath().toString());
        assertThat(result.path("ips")).as("ips of the ADD result: %s", result)
                .anySatisfy(ip -> {
                    assertThat(ip.path("address").asText()).isEqualTo(A_IP + "/30");
                    assertThat(ip.path("interface").isInt()).isTrue();
                    assertThat(ip.path("interface").asInt()).isEqualTo(index);
                });

        List<Link> panel = lab.panelDevices();
        assertThat(panel).as("r1's port in the panel, nothing for r2 yet").hasSize(1);
        assertThat(panel.getFirst().name()).matches(PORT_NAME);
        assertThat(panel.getFirst().index()).as("e1's veth peer is the port").isEqualTo(e1.peerIndex());
        assertThat(panel.getFirst().isUp()).as("a port without a peer is down: %s", panel.getFirst()).isFalse();
        assertThat(panel.getFirst().addresses()).as("a port holds no address").isEmpty();
        assertThat(lab.strayInNode()).as("nothing of nugator's in the node's own namespace").isEmpty();

        var link = lab.status().link(r1.end("e1"));
        assertThat(link.state()).as("%s", link).isEqualTo("pending");
        assertThat(link.end(r2.end("e1")).state()).as("%s", link).isEqualTo("pending");
        assertThat(link.end(r1.end("e1")).state()).as("%s", link).isEqualTo("down");
    }

    @Test
    void secondPodCompletesTheLinkCarrierUpOnBothEndsAndThePingCrosses() {
        r1.attach();
        JsonNode result = r2.attach();

        assertBothUp();
        assertThat(indexOf(result.path("interfaces"), "e1")).as("e1 in r2's ADD result: %s", result).isNotNegative();
        assertThat(lab.panelDevices()).as("both ports in the panel, up").hasSize(2).allMatch(Link::isUp);
        assertThat(lab.strayInNode()).isEmpty();
        Ping.assertCrosses(r1.netns(), B_IP);
        Ping.assertCrosses(r2.netns(), A_IP);
        var link = lab.status().link(r1.end("e1"));
        assertThat(link.state()).as("%s", link).isEqualTo("up");
    }

    @Test
    void delOfOneEndUnplugsTheCableTheSurvivorKeepsItsInterfaceAndARestartPlugsItBack() {
        r1.attach();
        r2.attach();
        int survivorIndex = r2.requireLink("e1").index();

        r1.detach();

        Link survivor = r2.requireLink("e1");
        assertThat(survivor.index()).as("r2 keeps the same e1 (ifindex)").isEqualTo(survivorIndex);
        assertThat(survivor.addresses()).extracting(IpAddr::cidr).contains(B_IP + "/30");
        assertThat(LabPod.carrier(survivor)).as("carrier down while r1 is away: %s", survivor).isFalse();
        assertThat(r1.link("e1")).as("r1's e1 left its old sandbox at DEL").isEmpty();
        assertThat(lab.panelDevices()).as("only r2's port is left in the panel, down").singleElement()
                .satisfies(port -> assertThat(port.isUp()).isFalse());
        var afterDel = lab.status().link(r1.end("e1"));
        assertThat(afterDel.end(r1.end("e1")).state()).as("%s", afterDel).isEqualTo("pending");
        assertThat(afterDel.end(r2.end("e1")).state()).as("%s", afterDel).isEqualTo("down");

        r1.restart().attach();

        assertBothUp();
        assertThat(r2.requireLink("e1").index()).as("r2 still has the same e1 after r1's restart").isEqualTo(survivorIndex);
        assertThat(lab.panelDevices()).as("both ports again, up").hasSize(2).allMatch(Link::isUp);
        Ping.assertCrosses(r1.netns(), B_IP);

        r1.detach();
        r2.detach();

        assertNothingLeft();
    }

    @Test
    void delOfBothEndsInEitherOrderLeavesNothing() {
        r1.attach();
        r2.attach();

        r2.detach();
        r1.detach();

        assertNothingLeft();
        assertThat(r2.del().exitCode()).as("a repeated DEL exits 0").isZero();
    }

    @Test
    void aPodThatDiedWithoutDelGetsItsLinkBackAtItsRestart() {
        r1.attach();
        r2.attach();
        String deadContainer = r1.containerId();
        var deadSandbox = r1.sandbox();

        r1.die();
        r1.restart().attach();

        assertBothUp();
        Ping.assertCrosses(r1.netns(), B_IP);
        Ping.assertCrosses(r2.netns(), A_IP);

        // The runtime's DEL for the dead container arrives late: it must not take the new link away.
        var lateDel = CniCall.of("DEL").containerId(deadContainer)
                .netns(deadSandbox.netnsPath().toString()).ifname("eth0").args(r1.cniArgs()).config(lab.network()).run();
        assertThat(lateDel.exitCode()).as(lateDel.describe()).isZero();
        assertBothUp();
        Ping.assertCrosses(r1.netns(), B_IP);

        r1.detach();
        r2.detach();
        assertNothingLeft();
    }

    @Test
    void aRestartWhoseNewSandboxComesBeforeTheOldOnesDelMovesTheLinkAndTheLateDelLeavesItAlone() {
        r1.attach();
        r2.attach();
        var oldSandbox = r1.sandbox();

        r1.restart().attach();

        assertThat(oldSandbox.netns().linkNames()).as("the old sandbox gave up e1").doesNotContain("e1");
        assertBothUp();
        var lateDel = CniCall.of("DEL").pod(oldSandbox).ifname("eth0").args(r1.cniArgs())
                .config(lab.network()).run();
        assertThat(lateDel.exitCode()).as(lateDel.describe()).isZero();
        assertBothUp();
        Ping.assertCrosses(r1.netns(), B_IP);
        assertThat(lab.panelDevices()).hasSize(2).allMatch(Link::isUp);
    }

    @Test
    void gcOfAStaleAttachmentTakesItsEndAsADelWould() {
        lab.network().put("cniVersion", "1.1.0");
        r1.attach();
        r2.attach();
        var gc = lab.network().deepCopy();
        gc.putArray("cni.dev/valid-attachments").addObject().put("containerID", r2.containerId()).put("ifname", "eth0");

        var result = CniCall.of("GC").config(gc).run();

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(r1.link("e1")).as("r1's end left its stale sandbox").isEmpty();
        Link survivor = r2.requireLink("e1");
        assertThat(LabPod.carrier(survivor)).as("%s", survivor).isFalse();
        assertThat(lab.panelDevices()).as("only r2's port is left, down").singleElement()
                .satisfies(port -> assertThat(port.isUp()).isFalse());
        assertThat(lab.status().link(r1.end("e1")).end(r1.end("e1")).state()).isEqualTo("pending");
    }

    @Test
    void aNetworkWithLinksFalseAttachesNoLinkInterface() {
        lab.network().put("links", false);

        r1.attach();

        assertThat(r1.netns().linkNames()).as("interfaces of r1 on a network with \"links\": false").containsOnly("lo");
        assertThat(lab.panelNames()).as("nothing in the panel for a network without links").isEmpty();
        r1.detach();
    }

    @Test
    void aLinkWhoseNameAnotherPluginsInterfaceHasFailsWith105AndIsUndoneWhole() {
        lab.announce("r3", "eth0", "203.0.113.1/30", "r4", "eth0", "203.0.113.2/30");
        var leases = lab.tempDir();
        lab.network().putArray("delegates").add(NetConf.bridge(Names.ifname("ntbr"),
                "10.99.0.0/24", leases).put("masterplugin", true));
        LabPod r3 = lab.pod("r3");

        var add = r3.add();

        assertThat(add.exitCode()).as(add.describe()).isEqualTo(1);
        assertThat(add.errorCode()).as(add.describe()).isEqualTo(105);
        assertThat(add.errorText()).as("the message names the link").contains(r3.end("eth0")).contains("eth0");
        assertThat(r3.netns().linkNames()).as("a failed ADD leaves nothing in the pod").containsOnly("lo");
        assertThat(lab.panelNames()).as("a failed ADD leaves nothing in the panel").isEmpty();
        assertThat(HostLocalLeases.in(leases)).as("the delegate's lease is released").isEmpty();
        assertThat(lab.attachmentRecords()).as("no attachment record after a failed ADD").isEmpty();
        assertThat(r3.del().exitCode()).as("DEL after a failed ADD").isZero();
    }

    private void assertBothUp() {
        for (LabPod pod : List.of(r1, r2)) {
            Link e1 = pod.requireLink("e1");
            assertThat(e1.addresses()).as("addresses of e1 in %s", pod).extracting(IpAddr::cidr)
                    .contains((pod == r1 ? A_IP : B_IP) + "/30");
            assertThat(LabPod.carrier(e1)).as("carrier of e1 in %s: %s", pod, e1).isTrue();
        }
    }

    /** No link interface in any sandbox, nothing in the panel, no record, both ends pending, no pod key in the store. */
    private void assertNothingLeft() {
        var sandboxes = new ArrayList<Pod>();
        for (LabPod pod : List.of(r1, r2)) {
            sandboxes.add(pod.sandbox());
            sandboxes.addAll(pod.earlierSandboxes());
        }
        for (var sandbox : sandboxes) {
            if (sandbox.netns().exists()) {
                assertThat(sandbox.netns().linkNames()).as("interfaces left in %s", sandbox).containsOnly("lo");
            }
        }
        assertThat(lab.panelNames()).as("ports left in the panel").isEmpty();
        assertThat(lab.strayInNode()).as("links in the node").isEmpty();
        assertThat(lab.attachmentRecords()).as("attachment records left").isEmpty();
        LinkStatusReport status = lab.status();
        var link = status.link(r1.end("e1"));
        assertThat(List.of(link.a().state(), link.b().state())).as("%s", link).containsOnly("pending");
        StoreKeys.under(lab.daemon(), "/nugator/v1/pods/").ifPresent(keys ->
                assertThat(keys).as("pod entries left in the store").isEmpty());
    }

    static int indexOf(JsonNode interfaces, String name) {
        for (int i = 0; i < interfaces.size(); i++) {
            if (interfaces.get(i).path("name").asText().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
