package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nugator.testkit.FileTrees;
import dev.nugator.testkit.CniResult;
import dev.nugator.testkit.NugatorNode;
import dev.nugator.testkit.Pod;
import dev.nugator.testkit.RootIntegrationTest;
import dev.nugator.testkit.ScriptPlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CNI.md item 12: DEL is best effort. Whatever is already gone (the netns, the interfaces, our
 * state, the whole attachment), DEL exits 0 and still gets host-local to release the addresses,
 * because containerd retries a failing DEL forever and leaked leases exhaust the range.
 */
@RootIntegrationTest
class DelTest {
    @RegisterExtension
    static final NugatorNode NODE = NugatorNode.create();

    private TestNetwork attached(String version, Pod pod) {
        var net = TestNetwork.create(NODE, version).macvlan().bridge();
        net.add(pod).requireSuccess();
        net.assertAttached(pod, "eth0");
        return net;
    }

    @ParameterizedTest
    @MethodSource("dev.nugator.it.Versions#all")
    void delAsTheRuntimeSendsItReleasesEverything(String version) {
        Pod pod = NODE.pod();
        var net = TestNetwork.create(NODE, version).macvlan().bridge();
        JsonNode result = net.add(pod).requireSuccess().json();

        // runtimes send prevResult on DEL from 0.4.0 on
        CniResult del = Versions.withCheck().contains(version) ? net.withPrevResult("DEL", pod, "eth0", result) : net.del(pod);

        assertThat(del.exitCode()).as(del.describe()).isZero();
        net.assertNothingLeft(pod);
    }

    @Test
    void delWithoutPrevResult() {
        Pod pod = NODE.pod();
        var net = attached("1.0.0", pod);

        net.del(pod).requireSuccess();

        net.assertNothingLeft(pod);
    }

    @Test
    void delWithEmptyNetnsReleasesLeases() {
        Pod pod = NODE.pod();
        var net = attached("1.0.0", pod);

        CniResult del = net.call("DEL", pod, "eth0").netns("").run();

        assertThat(del.exitCode()).as(del.describe()).isZero();
        assertThat(net.leasesOf(pod)).as("leases after DEL without netns").isEmpty();
        net.assertNoState(pod);
    }

    @Test
    void delAfterTheNetnsIsGone() {
        Pod pod = NODE.pod();
        var net = attached("1.0.0", pod);
        pod.close();

        CniResult del = net.del(pod);

        assertThat(del.exitCode()).as(del.describe()).isZero();
        net.assertNothingLeft(pod);
    }

    @Test
    void delAfterTheInterfacesAreGone() {
        Pod pod = NODE.pod();
        var net = attached("1.0.0", pod);
        pod.netns().ip("link", "del", "net0");
        pod.netns().ip("link", "del", "net1");

        CniResult del = net.del(pod);

        assertThat(del.exitCode()).as(del.describe()).isZero();
        net.assertNothingLeft(pod);
    }

    @Test
    void stateIsKeptWhereTheContractSays() {
        Pod pod = NODE.pod();
        var net = attached("1.0.0", pod);

        Path state = NODE.daemon().attachmentState(net.name(), pod.containerId(), "eth0");

        assertThat(state).as("per-attachment state file").isRegularFile();
        net.del(pod).requireSuccess();
        assertThat(state).doesNotExist();
    }

    @Test
    void delWithOurStateMissing() throws Exception {
        Pod pod = NODE.pod();
        var net = attached("1.0.0", pod);
        List<Path> stateFiles = stateFilesOf(net, pod);
        assertThat(stateFiles).as("state written at ADD").isNotEmpty();
        for (Path file : stateFiles) {
            Files.delete(file);
        }

        CniResult del = net.del(pod);

        assertThat(del.exitCode()).as(del.describe()).isZero();
        net.assertNothingLeft(pod);
    }

    @Test
    void delWithOurStateCorrupt() throws Exception {
        Pod pod = NODE.pod();
        var net = attached("1.0.0", pod);
        List<Path> stateFiles = stateFilesOf(net, pod);
        assertThat(stateFiles).as("state written at ADD").isNotEmpty();
        for (Path file : stateFiles) {
            Files.writeString(file, "{\"truncated\": [1, 2,");
        }

        CniResult del = net.del(pod);

        assertThat(del.exitCode()).as(del.describe()).isZero();
        net.assertNothingLeft(pod);
    }

    @Test
    void repeatedDelSucceeds() {
        Pod pod = NODE.pod();
        var net = attached("1.0.0", pod);

        net.del(pod).requireSuccess();
        CniResult again = net.del(pod);
        CniResult third = net.call("DEL", pod, "eth0").netns("").run();

        assertThat(again.exitCode()).as(again.describe()).isZero();
        assertThat(third.exitCode()).as(third.describe()).isZero();
        net.assertNothingLeft(pod);
    }

    @Test
    void delOfAnAttachmentThatNeverExisted() {
        Pod pod = NODE.pod();
        var net = TestNetwork.create(NODE, "1.0.0").macvlan().bridge();

        CniResult del = net.del(pod);

        assertThat(del.exitCode()).as(del.describe()).isZero();
        net.assertNothingLeft(pod);
    }

    @Test
    void delAfterAFailedAdd() {
        Pod pod = NODE.pod();
        var net = TestNetwork.create(NODE, "1.0.0").bridge().script("ntfail");
        ScriptPlugin.failing(net.scriptDir(), "ntfail", 11, "nt-try-later");
        CniResult add = net.add(pod);
        assertThat(add.exitCode()).as(add.describe()).isNotZero();

        CniResult del = net.del(pod);

        assertThat(del.exitCode()).as(del.describe()).isZero();
        net.assertNothingLeft(pod);
    }

    @Test
    void delAfterAddFailedOnAMissingDelegateBinary() {
        // nothing was created (ADD rolled back), so there is nothing a retry could fix: containerd
        // would otherwise retry this DEL forever
        Pod pod = NODE.pod();
        var net = TestNetwork.create(NODE, "1.0.0").bridge().script("ntnosuchplugin");
        CniResult add = net.add(pod);
        assertThat(add.errorCode()).as(add.describe()).isEqualTo(101);

        CniResult del = net.del(pod);

        assertThat(del.exitCode()).as(del.describe()).isZero();
        net.assertNothingLeft(pod);
    }

    @Test
    void delegatesAreDeletedInReverseOrder() {
        Pod pod = NODE.pod();
        var net = TestNetwork.create(NODE, "1.0.0").script("ntrec").script("ntrec").script("ntrec");
        var recorder = net.recorder("ntrec");
        net.add(pod).requireSuccess();

        net.del(pod).requireSuccess();

        assertThat(recorder.calls("DEL").stream().map(ScriptPlugin.RecordedCall::ifname).toList())
                .containsExactly("net2", "net1", "net0");
    }

    @Test
    void delWithStateMissingStillUsesTheConfigsDelegates() {
        // a DEL that arrives after a crash wiped the state: the config on stdin is all there is
        Pod pod = NODE.pod();
        var net = TestNetwork.create(NODE, "1.0.0").script("ntrec").bridge();
        var recorder = net.recorder("ntrec");
        net.add(pod).requireSuccess();
        Path dir = NODE.daemon().stateDir().resolve("attachments").resolve(net.name()).resolve(pod.containerId());
        FileTrees.delete(dir);

        net.del(pod).requireSuccess();

        assertThat(recorder.calls("DEL")).extracting(ScriptPlugin.RecordedCall::ifname).containsExactly("net0");
        net.assertNothingLeft(pod);
    }

    private static List<Path> stateFilesOf(TestNetwork net, Pod pod) {
        return TestNetwork.jsonFilesUnder(NODE.daemon().stateDir().resolve("attachments").resolve(net.name())
                .resolve(pod.containerId()));
    }
}
