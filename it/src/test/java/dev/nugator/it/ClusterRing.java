package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.Await;
import dev.nugator.testkit.ClusterLab;
import dev.nugator.testkit.ClusterPod;
import dev.nugator.testkit.IpAddr;
import dev.nugator.testkit.LinkStatusReport;
import dev.nugator.testkit.Names;
import dev.nugator.testkit.PanelLayout;
import dev.nugator.testkit.Parallel;
import dev.nugator.testkit.Ping;
import dev.nugator.testkit.Vxlan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A ring of pods spread over a {@link ClusterLab}'s nodes round-robin (pod i on node i mod n + 1),
 * link i between {@code r<i>:right} and {@code r<i+1>:left} with a /30 from 198.51.100.0/24. With
 * three nodes and a size that is a multiple of three every link crosses nodes, so every link has a
 * VNI of its own and a tunnel in both its nodes' panels.
 */
final class ClusterRing {
    /** How many links are checked at once (each check is a few `ip` calls and a ping). */
    private static final int CHECKS_AT_ONCE = 6;
    private final ClusterLab lab;
    private final String name;
    private final List<ClusterPod> pods = new ArrayList<>();

    private ClusterRing(ClusterLab lab, int size) {
        if (size < 3 || size > 60) {
            throw new IllegalArgumentException("a ring of 3..60 pods fits in 198.51.100.0/24: " + size);
        }
        this.lab = lab;
        this.name = Names.unique("ntring");
        for (int i = 0; i < size; i++) {
            pods.add(lab.pod("r" + i, i % lab.size() + 1));
        }
    }

    /** The pods (not attached yet); the topology is not applied yet either. */
    static ClusterRing of(ClusterLab lab, int size) {
        return new ClusterRing(lab, size);
    }

    String name() {
        return name;
    }

    List<ClusterPod> pods() {
        return pods;
    }

    int size() {
        return pods.size();
    }

    ClusterPod pod(int i) {
        return pods.get(Math.floorMod(i, pods.size()));
    }

    /** Link i's address at r_i ("right"). */
    static String rightIp(int link) {
        return "198.51.100." + (4 * link + 1);
    }

    /** Link i's address at r_(i+1) ("left"). */
    static String leftIp(int link) {
        return "198.51.100." + (4 * link + 2);
    }

    String yaml() {
        var yaml = new StringBuilder("name: " + name + "\nlinks:\n");
        for (int i = 0; i < pods.size(); i++) {
            yaml.append("  - a: {pod: %s, ifname: right, ipv4: %s/30}\n".formatted(pod(i).name(), rightIp(i)));
            yaml.append("    b: {pod: %s, ifname: left, ipv4: %s/30}\n".formatted(pod(i + 1).name(), leftIp(i)));
        }
        return yaml.toString();
    }

    /** Applies the ring's topology through nugatorctl --etcd. */
    ClusterRing apply() {
        lab.applyTopology(yaml());
        return this;
    }

    /**
     * Every link up as a user checks it: both ends with carrier, each wired in its node's panel to a
     * tunnel pointing at the other's node with the same VNI, the addresses in place, the ping
     * crossing each link; every VNI distinct, the store's VNI keys matching the kernel's, status
     * showing every link up with its VNI, and the panels holding those ports and tunnels, no more.
     */
    void assertAllUp() {
        var links = IntStream.range(0, pods.size()).boxed().toList();
        List<Integer> kernelVnis = Parallel.map(links, CHECKS_AT_ONCE, i -> {
            ClusterPod right = pod(i);
            ClusterPod left = pod(i + 1);
            Vxlan a = right.awaitVxlanTo("right", left.node());
            Vxlan b = left.awaitVxlanTo("left", right.node());
            assertThat(a.vni()).as("VNI of link %d: %s / %s", i, a, b).isEqualTo(b.vni());
            assertThat(right.requireLink("right").addresses()).extracting(IpAddr::cidr).contains(rightIp(i) + "/30");
            assertThat(left.requireLink("left").addresses()).extracting(IpAddr::cidr).contains(leftIp(i) + "/30");
            Ping.assertCrosses(right.netns(), leftIp(i));
            return a.vni();
        });
        assertThat(new HashSet<>(kernelVnis)).as("VNIs in the kernel, one per link: %s", kernelVnis).hasSize(pods.size());
        Map<Integer, String> vnis = lab.store().vnis();
        assertThat(vnis.keySet()).as("vnis/ in the store").containsExactlyInAnyOrderElementsOf(kernelVnis);
        assertThat(new HashSet<>(vnis.values())).as("link ids holding the VNIs: %s", vnis).hasSize(pods.size());
        lab.store().linkVnis().forEach((link, vni) -> assertThat(vnis.get(vni)).as("vnis/%d holds link %s", vni, link).isEqualTo(link));
        LinkStatusReport status = lab.status();
        var panels = PanelLayout.empty();
        for (int i = 0; i < pods.size(); i++) {
            var link = status.link(pod(i).end("right"));
            assertThat(link.state()).as("%s", link).isEqualTo("up");
            assertThat(link.vni()).as("%s", link).hasValue(kernelVnis.get(i));
            panels.link(link, pod(i), pod(i + 1));
        }
        lab.panels().await(panels);
        assertThat(lab.store().errors()).as("errors/ in the store").isEmpty();
    }

    /** DEL of every pod, then the topology deleted: no interface, VNI, pod record or error left. */
    void tearDownAndAssertNothingLeft() {
        lab.detachAll(pods, 6);
        lab.deleteTopology(name);
        for (ClusterPod pod : pods) {
            assertThat(pod.netns().linkNames()).as("interfaces left in %s", pod).containsOnly("lo");
        }
        var store = lab.store();
        Await.until("no VNI left in the store", () -> Map.of("vnis", store.vnis(), "link-vnis", store.linkVnis()),
                m -> m.values().stream().allMatch(Map::isEmpty));
        assertThat(store.podKeys()).as("pod records left in the store").isEmpty();
        assertThat(store.errors()).as("errors/ left in the store").isEmpty();
        lab.panels().awaitEmpty();
    }
}
