package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.ClusterLab;
import dev.nugator.testkit.ClusterPod;
import dev.nugator.testkit.LinkStatusReport;
import dev.nugator.testkit.Names;
import dev.nugator.testkit.PanelLayout;
import dev.nugator.testkit.Parallel;
import dev.nugator.testkit.Ping;
import dev.nugator.testkit.RootIntegrationTest;
import dev.nugator.testkit.Vxlan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fifty ADDs released at once on three nodes, 25 links each crossing two nodes: every pod gets
 * attached (an ADD that fails with code 11 is retried, as kubelet would), and VNI allocation,
 * racing on three daemons, never hands one VNI to two links.
 */
@RootIntegrationTest
class ClusterConcurrentAddTest {
    private static final int LINKS = 25;

    @RegisterExtension
    final ClusterLab lab = ClusterLab.create();

    @Test
    void fiftyAddsAtOnceAcrossThreeNodesGiveEachCrossNodeLinkAVniOfItsOwn() throws Exception {
        var yaml = new StringBuilder("name: " + Names.unique("ntpairs") + "\nlinks:\n");
        var a = new ArrayList<ClusterPod>();
        var b = new ArrayList<ClusterPod>();
        for (int i = 0; i < LINKS; i++) {
            yaml.append("  - a: {pod: a%d, ifname: eth1, ipv4: %s/30}\n".formatted(i, aIp(i)));
            yaml.append("    b: {pod: b%d, ifname: eth1, ipv4: %s/30}\n".formatted(i, bIp(i)));
            a.add(lab.pod("a" + i, i % 3 + 1));
            b.add(lab.pod("b" + i, (i + 1) % 3 + 1));
        }
        lab.applyTopology(yaml.toString());
        var all = new ArrayList<ClusterPod>(a);
        all.addAll(b);

        // all released at once; one that fails with code 11 (try again later) is retried as kubelet would
        var go = new CountDownLatch(1);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        try (ExecutorService pool = Executors.newFixedThreadPool(all.size())) {
            var attached = new ArrayList<Future<?>>();
            for (ClusterPod pod : all) {
                attached.add(pool.submit(() -> {
                    go.await();
                    return pod.attachRetrying(deadline);
                }));
            }
            go.countDown();
            for (var f : attached) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof AssertionError error ? error : new AssertionError(e.getCause());
                }
            }
        }

        var links = IntStream.range(0, LINKS).boxed().toList();
        List<Integer> kernelVnis = Parallel.map(links, 6, i -> {
            Vxlan va = a.get(i).awaitVxlanTo("eth1", b.get(i).node());
            Vxlan vb = b.get(i).awaitVxlanTo("eth1", a.get(i).node());
            assertThat(va.vni()).as("both ends of link %d: %s / %s", i, va, vb).isEqualTo(vb.vni());
            Ping.assertCrosses(a.get(i).netns(), bIp(i));
            return va.vni();
        });
        assertThat(new HashSet<>(kernelVnis)).as("VNIs in the kernel, one per link: %s", kernelVnis).hasSize(LINKS);

        Map<Integer, String> vnis = lab.store().vnis();
        assertThat(vnis).as("vnis/ in the store: one per cross-node link").hasSize(LINKS);
        assertThat(vnis.keySet()).containsExactlyInAnyOrderElementsOf(kernelVnis);
        assertThat(new HashSet<>(vnis.values())).as("links holding the VNIs: %s", vnis).hasSize(LINKS);
        Map<String, Integer> linkVnis = lab.store().linkVnis();
        assertThat(linkVnis).as("link-vnis/ in the store").hasSize(LINKS);
        linkVnis.forEach((link, vni) -> assertThat(vnis.get(vni)).as("vnis/%d holds link %s", vni, link).isEqualTo(link));

        LinkStatusReport status = lab.status();
        var panels = PanelLayout.empty();
        for (int i = 0; i < LINKS; i++) {
            var link = status.link(a.get(i).end("eth1"));
            assertThat(link.state()).as("%s", link).isEqualTo("up");
            assertThat(link.vni()).as("%s", link).hasValue(kernelVnis.get(i));
            panels.link(link, a.get(i), b.get(i));
        }
        lab.panels().await(panels);
        assertThat(lab.store().errors()).as("errors/ in the store").isEmpty();
        assertThat(lab.store().podKeys()).as("one pod record per pod").hasSize(all.size());
        assertThat(lab.store().nodeKeys()).as("nodes/ in the store").hasSize(lab.size());
    }

    private static String aIp(int link) {
        return "203.0.113." + (4 * link + 1);
    }

    private static String bIp(int link) {
        return "203.0.113." + (4 * link + 2);
    }
}
