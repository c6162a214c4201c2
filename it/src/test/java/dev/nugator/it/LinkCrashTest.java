package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.Await;
import dev.nugator.testkit.IpAddr;
import dev.nugator.testkit.LabPod;
import dev.nugator.testkit.Link;
import dev.nugator.testkit.LinkLab;
import dev.nugator.testkit.Ping;
import dev.nugator.testkit.RootIntegrationTest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * nugatord killed with SIGKILL in the middle of a link's life and started again with the same
 * state dir and store: nothing recorded is lost, the panel outlives it (its ports, and so the pods'
 * interfaces, are the same after the restart) and the second ADD completes the link.
 */
@RootIntegrationTest
class LinkCrashTest {
    private static final String A_IP = "203.0.113.1";
    private static final String B_IP = "203.0.113.2";

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
    void killedBetweenTheTwoAddsAndRestartedTheSecondAddCompletesTheLink() {
        r1.attach();

        lab.daemon().kill();
        lab.daemon().restart();
        r2.attach();

        for (LabPod pod : List.of(r1, r2)) {
            Link e1 = pod.requireLink("e1");
            assertThat(e1.addresses()).as("addresses of e1 in %s", pod).extracting(IpAddr::cidr)
                    .contains((pod == r1 ? A_IP : B_IP) + "/30");
            assertThat(LabPod.carrier(e1)).as("carrier of e1 in %s: %s%n%s", pod, e1, lab.logTail()).isTrue();
        }
        Ping.assertCrosses(r1.netns(), B_IP);
        Ping.assertCrosses(r2.netns(), A_IP);
        assertThat(lab.panelDevices()).as("both ports in the panel, up").hasSize(2).allMatch(Link::isUp);
        assertThat(lab.status().link(r1.end("e1")).state()).isEqualTo("up");
    }

    @Test
    void killedAfterTheFirstAddAndRestartedStatusStillKnowsTheLinkAndThePanelIsUntouched() {
        r1.attach();
        var panelBefore = lab.panelDevices();
        int ifindex = r1.requireLink("e1").index();
        assertThat(panelBefore).as("r1's port in the panel before the crash").hasSize(1);

        lab.daemon().kill();
        lab.daemon().restart();

        var link = lab.status().link(r1.end("e1"));
        assertThat(link.end(r1.end("e1")).state()).as("r1 still known as running after the restart: %s", link).isEqualTo("down");
        assertThat(link.end(r2.end("e1")).state()).as("%s", link).isEqualTo("pending");
        assertThat(lab.panelDevices()).as("the same port, same name and ifindex").extracting(Link::name, Link::index)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(panelBefore.getFirst().name(), panelBefore.getFirst().index()));
        assertThat(r1.requireLink("e1").index()).as("r1 keeps its e1").isEqualTo(ifindex);

        // and the restarted daemon can tear it all down
        r1.detach();
        assertThat(r1.link("e1")).as("r1's e1 after its DEL").isEmpty();
        assertThat(lab.panelNames()).as("no pod of the link runs: nothing in the panel").isEmpty();
        r2.attach();
        Link e1 = r2.requireLink("e1");
        assertThat(e1.addresses()).extracting(IpAddr::cidr).contains(B_IP + "/30");
        assertThat(LabPod.carrier(e1)).as("r2's e1 has no carrier: r1 is gone").isFalse();
        r2.detach();
        assertThat(lab.panelNames()).as("ports left after DEL of both").isEmpty();
        assertThat(lab.attachmentRecords()).as("attachment records after DEL of both").isEmpty();
    }

    @Test
    void whatChangedInTheKernelWhileNugatordWasDownIsRepairedAtItsStart() {
        r1.attach();
        String port = lab.panelNames().getFirst();

        lab.daemon().kill();
        // while nugatord is down someone deletes r1's port, and with it (a veth pair) r1's e1
        lab.daemon().panel().ip("link", "del", port);
        assertThat(r1.link("e1")).as("r1's e1 went with its peer").isEmpty();
        lab.daemon().restart();

        Link e1 = Await.until("r1's e1 back after the restart", () -> r1.link("e1"), Optional::isPresent).orElseThrow();
        assertThat(e1.addresses()).extracting(IpAddr::cidr).contains(A_IP + "/30");
        assertThat(e1.isUp()).as("%s", e1).isTrue();
        assertThat(lab.panelNames()).as("r1's port made again under the same name").containsExactly(port);

        r2.attach();
        Ping.assertCrosses(r1.netns(), B_IP);
    }
}
