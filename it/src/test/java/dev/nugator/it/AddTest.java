package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nugator.testkit.CniCall;
import dev.nugator.testkit.CniResult;
import dev.nugator.testkit.HostLocalLeases;
import dev.nugator.testkit.IpAddr;
import dev.nugator.testkit.Ipv4;
import dev.nugator.testkit.Link;
import dev.nugator.testkit.NetConf;
import dev.nugator.testkit.NugatorNode;
import dev.nugator.testkit.Pod;
import dev.nugator.testkit.RootIntegrationTest;
import dev.nugator.testkit.ScriptPlugin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CNI.md items 9-11 and the seed's own config: ADD with real delegates, a second ADD, delegates
 * that are missing or fail (and the rollback that must follow), and many ADDs at once.
 */
@RootIntegrationTest
class AddTest {
    @RegisterExtension
    static final NugatorNode NODE = NugatorNode.create();

    @Test
    void seedDemoConfigGivesNet0OnMacvlanAndNet1OnBridge() {
        Path dataDir = NODE.tempDir();
        var net = TestNetwork.wrap(NODE, NetConf.seedDemo(NODE.socket(), dataDir));
        Pod pod = NODE.pod();

        CniResult add = CniCall.of("ADD").pod(pod).ifname("eth0").config(net.conf()).run().requireSuccess();

        // no cniVersion in the seed's config: nugator answers in 0.2.0
        ResultShape.assertValid(add.json(), "0.2.0", pod);
        Link net0 = pod.netns().requireLink("net0");
        Link net1 = pod.netns().requireLink("net1");
        assertThat(net0.kind()).isEqualTo("macvlan");
        assertThat(net0.ipv4()).singleElement().satisfies(a -> {
            assertThat(a.prefixLen()).isEqualTo(24);
            assertThat(Ipv4.inRange(a.local(), "192.168.122.200", "192.168.122.216")).as("%s", a).isTrue();
        });
        assertThat(net1.ipv4()).singleElement()
                .satisfies(a -> assertThat(Ipv4.inSubnet(a.local(), "10.22.0.0/16")).as("%s", a).isTrue());
        assertThat(net0.isUp() && net1.isUp()).isTrue();
        assertThat(NODE.node().netns().requireLink("cni0").kind()).isEqualTo("bridge");
        // the first delegate inherits the top-level name, the second keeps its own
        assertThat(HostLocalLeases.in(dataDir, "nugator-demo")).hasSize(1);
        assertThat(HostLocalLeases.in(dataDir, "mynet")).hasSize(1);

        CniCall.of("DEL").pod(pod).ifname("eth0").config(net.conf()).run().requireSuccess();

        assertThat(HostLocalLeases.in(dataDir)).as("leases after DEL").isEmpty();
        assertThat(pod.netns().linkNames()).containsOnly("lo");
        assertThat(NODE.node().netns().links().stream().filter(l -> "cni0".equals(l.master())).toList())
                .as("cni0 ports after DEL").isEmpty();
    }

    @Test
    void secondAddWithoutDelIsError102AndKeepsTheFirst() {
        var net = TestNetwork.create(NODE, "1.0.0").macvlan().bridge();
        Pod pod = NODE.pod();
        JsonNode first = net.add(pod).requireSuccess().json();
        List<String> before = summary(pod);

        CniResult second = net.add(pod);

        assertThat(second.errorCode()).as(second.describe()).isEqualTo(102);
        assertThat(summary(pod)).as("the first attachment is intact").isEqualTo(before);
        assertThat(net.leasesOf(pod)).hasSize(2);
        net.withPrevResult("CHECK", pod, "eth0", first).requireSuccess();

        net.withPrevResult("DEL", pod, "eth0", first).requireSuccess();
        net.assertNothingLeft(pod);

        // ADD after DEL works again
        net.add(pod).requireSuccess();
        net.assertAttached(pod, "eth0");
        net.del(pod).requireSuccess();
        net.assertNothingLeft(pod);
    }

    @Test
    void missingDelegateBinaryIsError101AndLeavesNothing() {
        var net = TestNetwork.create(NODE, "1.0.0").bridge().script("ntnosuchplugin");
        Pod pod = NODE.pod();

        CniResult add = net.add(pod);

        assertThat(add.errorCode()).as(add.describe()).isEqualTo(101);
        assertThat(add.errorText()).as(add.describe()).contains("ntnosuchplugin");
        net.assertNothingLeft(pod);
        // the runtime's DEL that follows is DelTest.delAfterAddFailedOnAMissingDelegateBinary
    }

    @Test
    void delegateWithCniErrorKeepsItsCodeNamesTheDelegateAndIsRolledBack() {
        var net = TestNetwork.create(NODE, "1.0.0").bridge().script("ntfail");
        ScriptPlugin.failing(net.scriptDir(), "ntfail", 5, "nt-disk-on-fire");
        Pod pod = NODE.pod();

        CniResult add = net.add(pod);

        assertThat(add.errorCode()).as(add.describe()).isEqualTo(5);
        assertThat(add.errorMsg()).as(add.describe()).contains("net1").contains("nt-disk-on-fire");
        net.assertNothingLeft(pod);
        // the runtime's DEL after the failed ADD still succeeds
        net.del(pod).requireSuccess();
        net.assertNothingLeft(pod);
    }

    @Test
    void delegateFailingWithoutCniErrorIsError100AndIsRolledBack() {
        var net = TestNetwork.create(NODE, "1.0.0").macvlan().script("ntcrash");
        ScriptPlugin.crashing(net.scriptDir(), "ntcrash");
        Pod pod = NODE.pod();

        CniResult add = net.add(pod);

        assertThat(add.errorCode()).as(add.describe()).isEqualTo(100);
        assertThat(add.errorMsg()).as(add.describe()).contains("net1").contains("ntcrash");
        net.assertNothingLeft(pod);
        net.del(pod).requireSuccess();
    }

    @Test
    void partlyFailedAddUndoesDelegatesInReverseOrder() {
        var net = TestNetwork.create(NODE, "1.0.0").script("ntreca").script("ntrecb").bridge().script("ntfail");
        var recorder = net.recorder("ntreca");
        ScriptPlugin.recording(net.scriptDir(), "ntrecb", net.scriptDir().resolve("log"));
        ScriptPlugin.failing(net.scriptDir(), "ntfail", 7, "nt-bad-config");
        Pod pod = NODE.pod();

        CniResult add = net.add(pod);

        assertThat(add.errorCode()).as(add.describe()).isEqualTo(7);
        assertThat(add.errorMsg()).contains("net3");
        List<String> calls = recorder.calls().stream().map(c -> c.command() + " " + c.ifname()).toList();
        assertThat(calls).as("calls seen by the recording delegates")
                .containsSubsequence("ADD net0", "ADD net1", "DEL net1", "DEL net0");
        assertThat(calls.indexOf("DEL net1")).isGreaterThan(calls.indexOf("ADD net1"));
        net.assertNothingLeft(pod);
        net.del(pod).requireSuccess();
        net.assertNothingLeft(pod);
    }

    @Test
    void tenPodsAddAtOnce() throws Exception {
        var net = TestNetwork.create(NODE, "1.0.0").bridge();
        var pods = new ArrayList<Pod>();
        for (int i = 0; i < 10; i++) {
            pods.add(NODE.pod());
        }

        List<CniResult> adds = inParallel(pods.stream().map(p -> (Callable<CniResult>) () -> net.add(p)).toList());

        adds.forEach(CniResult::requireSuccess);
        var addresses = new ArrayList<String>();
        for (Pod pod : pods) {
            net.assertAttached(pod, "eth0");
            addresses.add(net.addressOf(pod, 0, "eth0").local());
        }
        assertThat(addresses).as("every pod its own address").doesNotHaveDuplicates();

        List<CniResult> dels = inParallel(pods.stream().map(p -> (Callable<CniResult>) () -> net.del(p)).toList());

        dels.forEach(CniResult::requireSuccess);
        for (Pod pod : pods) {
            net.assertNothingLeft(pod);
        }
        assertThat(net.leases()).isEmpty();
    }

    @Test
    void severalNetworksOfOnePodAddAtOnce() throws Exception {
        // containerd attaches a pod's networks in parallel; each network's delegate is the
        // masterplugin so that it gets the runtime's ifname (eth1..eth4) instead of net0
        var nets = new ArrayList<TestNetwork>();
        for (int i = 0; i < 4; i++) {
            nets.add(TestNetwork.create(NODE, "1.0.0").masterBridge());
        }
        Pod pod = NODE.pod();

        List<CniResult> adds = inParallel(nets.stream()
                .map(n -> (Callable<CniResult>) () -> n.add(pod, "eth" + (nets.indexOf(n) + 1))).toList());

        adds.forEach(CniResult::requireSuccess);
        for (int i = 0; i < nets.size(); i++) {
            nets.get(i).assertAttached(pod, "eth" + (i + 1));
        }
        assertThat(pod.netns().linkNames()).containsExactlyInAnyOrder("lo", "eth1", "eth2", "eth3", "eth4");

        List<CniResult> dels = inParallel(nets.stream()
                .map(n -> (Callable<CniResult>) () -> n.del(pod, "eth" + (nets.indexOf(n) + 1))).toList());

        dels.forEach(CniResult::requireSuccess);
        for (TestNetwork net : nets) {
            net.assertNothingLeft(pod);
        }
    }

    @Test
    void addReturnsOnlyAfterTheInterfacesAreUsable() {
        var net = TestNetwork.create(NODE, "1.0.0").bridge();
        Pod a = NODE.pod();
        Pod b = NODE.pod();
        net.add(a).requireSuccess();
        net.add(b).requireSuccess();

        IpAddr target = net.addressOf(b, 0, "eth0");
        // busybox-static is a declared test dependency; iputils-ping is not
        var ping = a.netns().run("busybox", "ping", "-c", "1", "-W", "5", target.local());

        assertThat(ping.exitCode()).as(ping.describe()).isZero();
        net.del(a).requireSuccess();
        net.del(b).requireSuccess();
    }

    /** Name, index, MAC and addresses of each link: what a second ADD must not change. */
    private static List<String> summary(Pod pod) {
        return pod.netns().links().stream().map(l -> l.name() + "#" + l.index() + " " + l.mac() + " " + l.addresses()).toList();
    }

    static <T> List<T> inParallel(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<T>> futures = pool.invokeAll(tasks, 5, TimeUnit.MINUTES);
            var results = new ArrayList<T>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
