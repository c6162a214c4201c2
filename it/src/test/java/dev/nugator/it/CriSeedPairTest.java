package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.Ipv4;
import dev.nugator.testkit.RootIntegrationTest;
import dev.nugator.testkit.cri.CriLab;
import dev.nugator.testkit.cri.CriNetwork;
import dev.nugator.testkit.cri.CriSandbox;
import dev.nugator.testkit.cri.SandboxNetns;
import dev.nugator.testkit.cri.SandboxStatus;
import dev.nugator.testkit.cri.v1.VersionResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The seed's pair on the kubelet's path: {@code nugatorctl announce} with the seed's announcer
 * environment, then the two pods' sandboxes made through containerd's CRI, whose CNI config is the
 * pod network (bridge + host-local) with nugator chained after it. Each pod has its link interface
 * with the seed's address when {@code RunPodSandbox} returns, keeps its pod IP on eth0 (what the
 * kubelet reads from {@code PodSandboxStatus}), and the ping crosses the link.
 */
@RootIntegrationTest
class CriSeedPairTest {
    @RegisterExtension
    static final CriLab lab = CriLab.create();

    @Test
    void theCriServesV1() {
        VersionResponse version = lab.cri().version();

        assertThat(version.getRuntimeName()).isEqualTo("containerd");
        assertThat(version.getRuntimeApiVersion()).isEqualTo("v1");
    }

    @Test
    void theSeedsPairGetsItsLinkWhenRunPodSandboxReturnsKeepsItsPodIpAndPings() {
        CriSeed.announce(lab);

        CriSandbox primary = lab.run(lab.pod("default", CriSeed.PRIMARY));
        SandboxNetns primaryNetns = primary.netns();
        var in1 = primaryNetns.requireIface("in1");
        assertThat(in1.ipv4()).as("in1 when RunPodSandbox returned").containsExactly("192.168.2.100/24");
        assertThat(in1.hasCarrier()).as("in1 before its peer runs").isFalse();

        CriSandbox pair = lab.run(lab.pod("default", CriSeed.PAIR));
        SandboxNetns pairNetns = pair.netns();
        var in2 = pairNetns.requireIface("in2");
        assertThat(in2.ipv4()).as("in2 when RunPodSandbox returned").containsExactly("192.168.2.101/24");
        assertThat(in2.hasCarrier()).as("in2 once both run").isTrue();

        for (CriSandbox sandbox : new CriSandbox[] {primary, pair}) {
            SandboxStatus status = sandbox.status();
            assertThat(status.ready()).as("%s", status).isTrue();
            assertThat(Ipv4.inSubnet(status.ip() + "/32", CriLab.POD_CIDR)).as("pod IP of %s", status).isTrue();
            var eth0 = sandbox.netns().requireIface("eth0");
            assertThat(eth0.ipv4()).as("eth0 of %s", sandbox).anySatisfy(a -> assertThat(a).startsWith(status.ip() + "/"));
            assertThat(status.cniResultInterfaces()).as("interfaces in the CNI result containerd keeps")
                    .contains("eth0", sandbox == primary ? "in1" : "in2");
            assertThat(status.cniResultIps("eth0")).as("%s", status).containsExactly(status.ip());
        }

        primaryNetns.assertPings(CriSeed.PAIR_IP);
        pairNetns.assertPings(CriSeed.PRIMARY_IP);
        primaryNetns.assertPings(pair.status().ip());   // and the pod network too
        assertThat(lab.node().netns().linkNames()).as("the pod network's bridge is in the node").contains(CriNetwork.BRIDGE);
    }
}
