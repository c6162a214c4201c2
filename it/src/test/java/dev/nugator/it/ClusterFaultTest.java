package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.Await;
import dev.nugator.testkit.ClusterLab;
import dev.nugator.testkit.ClusterPod;
import dev.nugator.testkit.FileTrees;
import dev.nugator.testkit.Link;
import dev.nugator.testkit.Names;
import dev.nugator.testkit.PanelLayout;
import dev.nugator.testkit.Ping;
import dev.nugator.testkit.RootIntegrationTest;
import dev.nugator.testkit.Vxlan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults during and after a bring-up on three nodes, each ending with every link up and nothing
 * leaked: an etcd member (the leader) stopped in the middle of a 30-link bring-up; one nugatord
 * killed with SIGKILL in the middle and started again; every etcd member stopped, where an ADD
 * fails fast with code 11 and leaves nothing, DEL still exits 0, and once etcd is back the
 * reconciler converges. ADDs that fail with code 11 are retried the way kubelet retries a sandbox.
 */
@RootIntegrationTest
class ClusterFaultTest {
    private static final int RING = 30;
    private static final int PARALLEL = 6;
    private static final Duration BRING_UP = Duration.ofSeconds(120);
    /** What the issue promises for an ADD while the store is unreachable. */
    private static final Duration FAIL_FAST = Duration.ofSeconds(5);

    @RegisterExtension
    final ClusterLab lab = ClusterLab.create();

    @Test
    void theEtcdLeaderStoppedDuringA30LinkBringUpAllLinksComeUpAndNothingLeaks() {
        var ring = ClusterRing.of(lab, RING).apply();
        var stopped = new AtomicInteger();

        lab.attachAll(ring.pods(), PARALLEL, BRING_UP, attached -> {
            if (attached == RING / 3) {
                int leader = lab.etcd().leader();
                lab.etcd().stop(leader);
                stopped.set(leader);
            }
        });

        assertThat(stopped.get()).as("an etcd member was stopped during the bring-up").isPositive();
        assertThat(lab.etcd().runningMembers()).as("etcd members running").hasSize(2).doesNotContain(stopped.get());
        ring.assertAllUp();
        lab.etcd().start(stopped.get());
        ring.tearDownAndAssertNothingLeft();
    }

    @Test
    void oneNugatordKilledDuringA30LinkBringUpAndRestartedAllLinksComeUpAndNothingLeaks() {
        var ring = ClusterRing.of(lab, RING).apply();
        var killed = new AtomicInteger();

        lab.attachAll(ring.pods(), PARALLEL, BRING_UP, attached -> {
            if (attached == RING / 3) {
                lab.daemon(2).kill();
                killed.set(2);
                FileTrees.pause(500);
                lab.daemon(2).restart();
            }
        });

        assertThat(killed.get()).as("node 2's nugatord was killed during the bring-up").isEqualTo(2);
        assertThat(lab.daemon(2).isAlive()).isTrue();
        ring.assertAllUp();
        ring.tearDownAndAssertNothingLeft();
    }

    @Test
    void withEveryEtcdMemberDownAnAddFailsFastWithCode11AndLeavesNothingDelExits0AndTheClusterConvergesOnceEtcdIsBack() {
        lab.applyTopology("""
                name: %s
                links:
                  - a: {pod: pa, ifname: eth1, ipv4: 192.0.2.1/30}
                    b: {pod: pb, ifname: eth1, ipv4: 192.0.2.2/30}
                  - a: {pod: pc, ifname: eth1, ipv4: 192.0.2.5/30}
                    b: {pod: pd, ifname: eth1, ipv4: 192.0.2.6/30}
                """.formatted(Names.unique("ntoutage")));
        ClusterPod pa = lab.pod("pa", 1);
        ClusterPod pb = lab.pod("pb", 2);
        ClusterPod pc = lab.pod("pc", 1);
        ClusterPod pd = lab.pod("pd", 3);
        pa.attach();
        pb.attach();
        int vni = pa.awaitVxlanTo("eth1", 2).vni();
        pb.awaitVxlanTo("eth1", 1);
        var panels = PanelLayout.empty().link(lab.status().link(pa.end("eth1")), pa, pb);
        lab.panels().await(panels);

        lab.etcd().stopAll();

        // an ADD while the store is unreachable: code 11 within 5 s, nothing in the pod or the node
        var add = pc.add();
        assertThat(add.exitCode()).as(add.describe()).isNotZero();
        assertThat(add.errorCode()).as(add.describe()).isEqualTo(11);
        assertThat(add.proc().elapsed()).as("time until the ADD failed\n%s", add.describe()).isLessThanOrEqualTo(FAIL_FAST);
        assertThat(pc.netns().linkNames()).as("a failed ADD leaves nothing in the pod").containsOnly("lo");
        assertThat(lab.panels().names()).as("a failed ADD leaves nothing in the panels").isEqualTo(panels.devices());
        assertThat(lab.panels().inNodes()).as("a failed ADD leaves nothing in the nodes").isEmpty();
        var del = pc.del();
        assertThat(del.exitCode()).as("DEL after the failed ADD, etcd still down\n%s", del.describe()).isZero();
        // kubelet drops the failed sandbox and tries again with a new one (below, once etcd is back)
        pc.restart();
        // links already up stay up: the kernel does not need the store
        Ping.assertCrosses(pa.netns(), "192.0.2.2");
        // and something the reconciler will have to repair
        pa.netns().ip("link", "del", "eth1");

        lab.etcd().startAll();

        // each node's etcd client finds the restarted members on its own schedule, and until it does
        // an ADD there is answered with code 11, which a kubelet retries: so do these
        pc.attachRetrying(Instant.now().plus(Duration.ofSeconds(60)));
        pd.attachRetrying(Instant.now().plus(Duration.ofSeconds(60)));
        Vxlan repaired = pa.awaitVxlanTo("eth1", 2);
        assertThat(repaired.vni()).as("pa's end repaired with the link's VNI").isEqualTo(vni);
        assertThat(pa.requireLink("eth1").addresses()).extracting(a -> a.cidr()).contains("192.0.2.1/30");
        Vxlan c = pc.awaitVxlanTo("eth1", 3);
        Vxlan d = pd.awaitVxlanTo("eth1", 1);
        assertThat(c.vni()).as("%s / %s", c, d).isEqualTo(d.vni()).isNotEqualTo(vni);
        Ping.assertCrosses(pa.netns(), "192.0.2.2");
        Ping.assertCrosses(pc.netns(), "192.0.2.6");

        // the store is consistent again: every node registered, no error, one VNI per link both ways
        var store = lab.store();
        Await.until("every node registered again\n" + lab.logTails(), store::nodeKeys, keys -> keys.size() == lab.size());
        Await.until("no error left in the store once converged\n" + lab.logTails(), store::errors, Map::isEmpty);
        Map<Integer, String> vnis = store.vnis();
        assertThat(vnis.keySet()).as("vnis/ in the store").containsExactlyInAnyOrder(vni, c.vni());
        assertThat(store.linkVnis()).as("link-vnis/ in the store").hasSize(2)
                .allSatisfy((link, v) -> assertThat(vnis.get(v)).isEqualTo(link));
        var status = lab.status();
        assertThat(List.of(status.link(pa.end("eth1")).state(), status.link(pc.end("eth1")).state()))
                .as("%s", status).containsOnly("up");
        lab.panels().await(panels.link(status.link(pc.end("eth1")), pc, pd));
        assertThat(pa.link("eth1").map(Link::isUp)).contains(true);
    }
}
