package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.HostLocalLeases;
import dev.nugator.testkit.RootIntegrationTest;
import dev.nugator.testkit.cri.CriLab;
import dev.nugator.testkit.cri.CriSandbox;
import dev.nugator.testkit.cri.PodSandboxSpec;
import dev.nugator.testkit.cri.v1.PodSandbox;
import dev.nugator.testkit.cri.v1.PodSandboxState;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * nugatord down while containerd makes a sandbox: the shim answers at once with CNI error 11 (try
 * again later) naming the socket, containerd fails {@code RunPodSandbox} with that message, and the
 * kubelet's next sync (its not-ready sandbox stopped and removed, a new attempt) succeeds once
 * nugatord is back, with nothing of the failed attempt left.
 */
@RootIntegrationTest
class CriNugatordDownTest {
    @RegisterExtension
    static final CriLab lab = CriLab.create();

    @Test
    void runPodSandboxFailsWithTheShimsMessageAndTheNextAttemptSucceedsOnceNugatordIsBack() {
        CriSeed.announce(lab);
        CriSandbox pair = lab.run(lab.pod("default", CriSeed.PAIR));
        lab.daemon().stop();

        PodSandboxSpec pod = lab.pod("default", CriSeed.PRIMARY);
        StatusRuntimeException refused = lab.runRefused(pod);
        // libcni writes a plugin's CNI error as its msg and details; the code (11) stays between the shim and libcni
        assertThat(refused.getStatus().getDescription()).as("containerd's error")
                .contains("failed to setup network for sandbox", "plugin type=\"nugator\"",
                        "cannot reach nugatord at " + lab.socketLink(), "; start the node daemon with `nugatord --socket");

        lab.daemon().restart();
        List<PodSandbox> failed = lab.cri().listPodSandbox(pod);
        assertThat(failed).as("the failed attempt's sandboxes").allSatisfy(s ->
                assertThat(s.getState()).isEqualTo(PodSandboxState.SANDBOX_NOTREADY));
        for (PodSandbox sandbox : failed) {   // the kubelet's next sync: kill the pod's sandbox, then make a new one
            lab.cri().stopPodSandbox(sandbox.getId());
            lab.cri().removePodSandbox(sandbox.getId());
        }
        CriSandbox primary = lab.run(pod.nextAttempt());

        assertThat(primary.netns().requireIface("in1").ipv4()).containsExactly(CriSeed.PRIMARY_IP + "/24");
        primary.netns().assertPings(CriSeed.PAIR_IP);
        assertThat(lab.cri().listPodSandbox()).as("sandboxes containerd knows").hasSize(2);
        assertThat(HostLocalLeases.in(lab.leases())).as("pod network leases: the two running pods'")
                .extracting(l -> l.owner().lines().findFirst().orElse("")).containsExactlyInAnyOrder(pair.id(), primary.id());
    }
}
