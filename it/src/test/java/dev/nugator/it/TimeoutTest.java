package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.CniCall;
import dev.nugator.testkit.CniResult;
import dev.nugator.testkit.NugatorNode;
import dev.nugator.testkit.Pod;
import dev.nugator.testkit.RootIntegrationTest;
import dev.nugator.testkit.ScriptPlugin;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CNI.md item 18: every external call has a deadline. A delegate that hangs past nugatord's
 * {@code --command-timeout} makes ADD fail with 11 and leaves nothing behind (not even the hung
 * process); a shim that cannot reach nugatord says so within 2 s instead of letting the runtime
 * time out.
 */
@RootIntegrationTest
class TimeoutTest {
    @RegisterExtension
    static final NugatorNode NODE = NugatorNode.create(b -> b.commandTimeout(2));

    @Test
    void addPastTheCommandDeadlineIsError11AndLeavesNothing() throws Exception {
        var net = TestNetwork.create(NODE, "1.0.0").bridge().script("ntsleep");
        Path pidFile = net.scriptDir().resolve("sleeper.pid");
        ScriptPlugin.sleeping(net.scriptDir(), "ntsleep", 120, pidFile);
        Pod pod = NODE.pod();
        try {
            CniResult add = net.call("ADD", pod, "eth0").deadline(Duration.ofSeconds(60)).run();

            assertThat(add.errorCode()).as(add.describe()).isEqualTo(11);
            assertThat(add.errorMsg()).as(add.describe()).contains("net1");
            net.assertNothingLeft(pod);
            assertThat(waitUntilGone(pidFile, Duration.ofSeconds(10)))
                    .as("the hung delegate process was killed").isTrue();
            net.del(pod).requireSuccess();
        } finally {
            killIfAlive(pidFile);
        }
    }

    @Test
    void shimWithoutNugatordAnswers11Within2sNamingTheSocket() {
        Path socket = NODE.tempDir().resolve("nugatord-not-running.sock");
        var net = TestNetwork.create(NODE, "1.0.0").bridge();
        net.conf().put("socket", socket.toString());

        long start = System.nanoTime();
        CniResult add = CniCall.of("ADD").pod(NODE.pod()).ifname("eth0").config(net.conf()).run();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(add.errorCode()).as(add.describe()).isEqualTo(11);
        assertThat(add.errorMsg()).as(add.describe()).contains(socket.toString());
        assertThat(took).as("the contract's 2 s bound for an unreachable nugatord").isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void shimWithAStaleSocketFileAnswers11Within2s() throws Exception {
        // what a killed nugatord leaves: the socket file without a listener
        Path socket = NODE.tempDir().resolve("stale.sock");
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        var net = TestNetwork.create(NODE, "1.0.0").bridge();
        net.conf().put("socket", socket.toString());

        long start = System.nanoTime();
        CniResult del = CniCall.of("DEL").pod(NODE.pod()).ifname("eth0").config(net.conf()).run();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(del.errorCode()).as(del.describe()).isEqualTo(11);
        assertThat(del.errorMsg()).as(del.describe()).contains(socket.toString());
        assertThat(took).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void nugatordServesTheNextRequestAfterATimeout() throws Exception {
        var slow = TestNetwork.create(NODE, "1.0.0").script("ntsleep");
        Path pidFile = slow.scriptDir().resolve("sleeper.pid");
        ScriptPlugin.sleeping(slow.scriptDir(), "ntsleep", 120, pidFile);
        try {
            Pod pod = NODE.pod();
            assertThat(slow.add(pod).errorCode()).isEqualTo(11);

            var net = TestNetwork.create(NODE, "1.0.0").bridge();
            Pod other = NODE.pod();
            net.add(other).requireSuccess();
            net.assertAttached(other, "eth0");
            net.del(other).requireSuccess();
        } finally {
            killIfAlive(pidFile);
        }
    }

    private static boolean waitUntilGone(Path pidFile, Duration limit) throws Exception {
        if (!Files.exists(pidFile)) {
            throw new AssertionError("the sleeping delegate never ran (no " + pidFile + ")");
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                Thread.sleep(100);
            } else {
                return true;
            }
        }
        return false;
    }

    private static void killIfAlive(Path pidFile) throws Exception {
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
