package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.testkit.CniCall;
import dev.nugator.testkit.CniResult;
import dev.nugator.testkit.NugatorNode;
import dev.nugator.testkit.Pod;
import dev.nugator.testkit.RootIntegrationTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CNI.md items 13-15: CHECK compares each delegate against its own cached result, GC removes
 * what the runtime no longer lists (releasing the leases) and keeps the rest, STATUS tells the
 * runtime whether the node can take pods.
 */
@RootIntegrationTest
class CheckGcStatusTest {
    @RegisterExtension
    static final NugatorNode NODE = NugatorNode.create();

    // ---- CHECK ----

    @ParameterizedTest
    @MethodSource("dev.nugator.it.Versions#withCheck")
    void checkPassesRightAfterAdd(String version) {
        Pod pod = NODE.pod();
        var net = TestNetwork.create(NODE, version).macvlan().bridge();
        JsonNode result = net.add(pod).requireSuccess().json();

        CniResult check = net.withPrevResult("CHECK", pod, "eth0", result);

        assertThat(check.exitCode()).as(check.describe()).isZero();
        assertThat(check.stdout()).as("CHECK prints nothing on success").isBlank();
        net.withPrevResult("DEL", pod, "eth0", result).requireSuccess();
    }

    @ParameterizedTest
    @MethodSource("dev.nugator.it.Versions#withCheck")
    void checkFailsWhenADelegateInterfaceIsMissing(String version) {
        Pod pod = NODE.pod();
        var net = TestNetwork.create(NODE, version).macvlan().bridge();
        JsonNode result = net.add(pod).requireSuccess().json();
        pod.netns().ip("link", "del", "net1");

        CniResult check = net.withPrevResult("CHECK", pod, "eth0", result);

        assertThat(check.exitCode()).as(check.describe()).isNotZero();
        assertThat(check.errorCode()).as(check.describe()).isNotZero();
        assertThat(check.errorMsg()).as(check.describe()).contains("net1");
        net.withPrevResult("DEL", pod, "eth0", result).requireSuccess();
        net.assertNothingLeft(pod);
    }

    @Test
    void checkFailsWhenAnAddressChanged() {
        Pod pod = NODE.pod();
        var net = TestNetwork.create(NODE, "1.0.0").macvlan().bridge();
        JsonNode result = net.add(pod).requireSuccess().json();
        pod.netns().ip("addr", "flush", "dev", "net0");
        pod.netns().ip("addr", "add", "203.0.113.9/24", "dev", "net0");

        CniResult check = net.withPrevResult("CHECK", pod, "eth0", result);

        assertThat(check.exitCode()).as(check.describe()).isNotZero();
        assertThat(check.errorMsg()).as(check.describe()).contains("net0");
        net.withPrevResult("DEL", pod, "eth0", result).requireSuccess();
        net.assertNothingLeft(pod);
    }

    @ParameterizedTest
    @MethodSource("dev.nugator.it.Versions#withoutCheck")
    void checkBeforeZeroFourIsError1(String version) {
        Pod pod = NODE.pod();
        var net = TestNetwork.create(NODE, version).bridge();

        CniResult check = net.call("CHECK", pod, "eth0").run();

        assertThat(check.errorCode()).as(check.describe()).isEqualTo(1);
    }

    // ---- GC ----

    @ParameterizedTest
    @ValueSource(strings = {"cni.dev/valid-attachments", "cni.dev/attachments"})
    void gcRemovesUnlistedAttachmentsAndKeepsListedOnes(String key) {
        var net = TestNetwork.create(NODE, "1.1.0").macvlan().bridge();
        Pod keep1 = NODE.pod();
        Pod stale = NODE.pod();
        Pod keep2 = NODE.pod();
        JsonNode kept = net.add(keep1).requireSuccess().json();
        net.add(stale).requireSuccess();
        net.add(keep2).requireSuccess();

        ObjectNode conf = net.conf().deepCopy();
        ArrayNode valid = conf.putArray(key);
        valid.addObject().put("containerID", keep1.containerId()).put("ifname", "eth0");
        valid.addObject().put("containerID", keep2.containerId()).put("ifname", "eth0");
        CniResult gc = CniCall.of("GC").config(conf).prependCniPath(net.scriptDir()).run();

        assertThat(gc.exitCode()).as(gc.describe()).isZero();
        assertThat(net.leasesOf(stale)).as("leases of the unlisted attachment").isEmpty();
        net.assertNoState(stale);
        net.assertAttached(keep1, "eth0");
        net.assertAttached(keep2, "eth0");
        net.withPrevResult("CHECK", keep1, "eth0", kept).requireSuccess();

        net.del(keep1).requireSuccess();
        net.del(keep2).requireSuccess();
        net.del(stale).requireSuccess();
        for (Pod pod : List.of(keep1, keep2, stale)) {
            assertThat(net.leasesOf(pod)).isEmpty();
        }
    }

    @Test
    void gcWithAnEmptyListRemovesEverything() {
        var net = TestNetwork.create(NODE, "1.1.0").bridge();
        Pod pod = NODE.pod();
        net.add(pod).requireSuccess();
        ObjectNode conf = net.conf().deepCopy();
        conf.putArray("cni.dev/valid-attachments");

        CniResult gc = CniCall.of("GC").config(conf).run();

        assertThat(gc.exitCode()).as(gc.describe()).isZero();
        assertThat(net.leases()).isEmpty();
        net.assertNoState(pod);
    }

    @Test
    void gcWithoutTheKeySucceeds() {
        var net = TestNetwork.create(NODE, "1.1.0").bridge();

        CniResult gc = CniCall.of("GC").config(net.conf()).run();

        assertThat(gc.exitCode()).as(gc.describe()).isZero();
    }

    @Test
    void gcIsForwardedToDelegatesThatSpeakOneOne() {
        var net = TestNetwork.create(NODE, "1.1.0").script("ntrec");
        var recorder = net.recorder("ntrec");
        Pod pod = NODE.pod();
        net.add(pod).requireSuccess();
        ObjectNode conf = net.conf().deepCopy();
        conf.putArray("cni.dev/valid-attachments").addObject().put("containerID", pod.containerId()).put("ifname", "eth0");

        CniCall.of("GC").config(conf).prependCniPath(net.scriptDir()).run().requireSuccess();

        assertThat(recorder.calls("GC")).as("GC calls seen by the delegate").isNotEmpty();
        assertThat(recorder.calls("GC").getFirst().stdin().has("cni.dev/valid-attachments")).isTrue();
        net.del(pod).requireSuccess();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.4.0", "1.0.0"})
    void gcBeforeOneOneIsError1(String version) {
        var net = TestNetwork.create(NODE, version).bridge();

        CniResult gc = CniCall.of("GC").config(net.conf()).run();

        assertThat(gc.errorCode()).as(gc.describe()).isEqualTo(1);
    }

    // ---- STATUS ----

    @Test
    void statusIsZeroWhenNugatordIsUp() {
        var net = TestNetwork.create(NODE, "1.1.0").bridge();

        CniResult status = CniCall.of("STATUS").config(net.conf()).run();

        assertThat(status.exitCode()).as(status.describe()).isZero();
    }

    @Test
    void statusIs50WhenNugatordIsDown() {
        var net = TestNetwork.create(NODE, "1.1.0").bridge();
        String socket = NODE.tempDir().resolve("nobody-listens.sock").toString();
        net.conf().put("socket", socket);

        CniResult status = CniCall.of("STATUS").config(net.conf()).run();

        assertThat(status.errorCode()).as(status.describe()).isEqualTo(50);
        assertThat(status.errorText()).as(status.describe()).contains(socket);
    }

    @Test
    void statusIsForwardedToDelegates() {
        var net = TestNetwork.create(NODE, "1.1.0").script("ntrec");
        var recorder = net.recorder("ntrec");

        CniCall.of("STATUS").config(net.conf()).prependCniPath(net.scriptDir()).run().requireSuccess();

        assertThat(recorder.calls("STATUS")).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.4.0", "1.0.0"})
    void statusBeforeOneOneIsError1(String version) {
        var net = TestNetwork.create(NODE, version).bridge();

        CniResult status = CniCall.of("STATUS").config(net.conf()).run();

        assertThat(status.errorCode()).as(status.describe()).isEqualTo(1);
    }
}
