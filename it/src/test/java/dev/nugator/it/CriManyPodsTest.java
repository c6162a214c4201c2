package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.Await;
import dev.nugator.testkit.Parallel;
import dev.nugator.testkit.RootIntegrationTest;
import dev.nugator.testkit.cri.CriLab;
import dev.nugator.testkit.cri.CriSandbox;
import dev.nugator.testkit.cri.PodSandboxSpec;
import dev.nugator.testkit.cri.SandboxNetns;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many pods at once through the CRI: 30 sandboxes asked for concurrently (containerd runs their
 * CNI ADDs in parallel), wired as a ring of 30 links (pod i's eth1 to pod i+1's eth2, a /31 each).
 * Every link interface is there with its address and carrier, and every link carries a ping.
 */
@RootIntegrationTest
class CriManyPodsTest {
    private static final int PODS = 30;
    private static final String NAMESPACE = "ring";

    @RegisterExtension
    static final CriLab lab = CriLab.create();

    @Test
    void thirtySandboxesMadeConcurrentlyGetTheirRingOfThirtyLinksAllUp() {
        lab.ctl().applyTopology(ring()).requireSuccess();
        List<PodSandboxSpec> pods = IntStream.range(0, PODS).mapToObj(i -> lab.pod(NAMESPACE, name(i))).toList();

        List<CriSandbox> sandboxes = Parallel.map(pods, PODS, lab::run);

        List<SandboxNetns> netns = Parallel.map(sandboxes, 8, CriSandbox::netns);
        Parallel.forEach(IntStream.range(0, PODS).boxed().toList(), 8, i -> {
            assertThat(netns.get(i).requireIface("eth1").ipv4()).as("%s eth1", name(i)).containsExactly(address(i, 0) + "/31");
            assertThat(netns.get(i).requireIface("eth2").ipv4()).as("%s eth2", name(i))
                    .containsExactly(address((i + PODS - 1) % PODS, 1) + "/31");
            for (String ifname : List.of("eth1", "eth2")) {
                Await.until(name(i) + " " + ifname + " with carrier", () -> netns.get(i).requireIface(ifname),
                        SandboxNetns.Iface::hasCarrier);
            }
        });
        Parallel.forEach(IntStream.range(0, PODS).boxed().toList(), 8, i -> netns.get(i).assertPings(address(i, 1)));
        assertThat(lab.ctl().status().links()).as("links in status").hasSize(PODS)
                .allSatisfy(l -> assertThat(l.state()).as("%s", l).isEqualTo("up"));
    }

    /** Link i: pod i's eth1 (198.51.100.2i/31) to pod i+1's eth2 (198.51.100.2i+1/31). */
    private static String ring() {
        var yaml = new StringBuilder("name: ring\nnamespace: " + NAMESPACE + "\nlinks:\n");
        for (int i = 0; i < PODS; i++) {
            yaml.append("  - a: {pod: %s, ifname: eth1, ipv4: %s/31}\n".formatted(name(i), address(i, 0)));
            yaml.append("    b: {pod: %s, ifname: eth2, ipv4: %s/31}\n".formatted(name((i + 1) % PODS), address(i, 1)));
        }
        return yaml.toString();
    }

    private static String name(int i) {
        return "r%02d".formatted(i);
    }

    private static String address(int link, int side) {
        return "198.51.100." + (2 * link + side);
    }
}
