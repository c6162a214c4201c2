package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.testkit.CniResult;
import dev.nugator.testkit.Json;
import dev.nugator.testkit.NugatorNode;
import dev.nugator.testkit.Pod;
import dev.nugator.testkit.ProcResult;
import dev.nugator.testkit.Proc;
import dev.nugator.testkit.RootIntegrationTest;
import dev.nugator.testkit.ScriptPlugin;
import dev.nugator.testkit.ScriptPlugin.RecordedCall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CNI.md items 7, 16, 17: what delegates receive (their own ifname, the runtime's environment,
 * an inherited name and version, declared capabilities), chained prevResult pass-through, and
 * per-attachment state written before the first delegate runs and kept out of /var/lib/cni.
 */
@RootIntegrationTest
class DelegationTest {
    @RegisterExtension
    static final NugatorNode NODE = NugatorNode.create();

    @Test
    void delegatesGetNetIfnamesInOrderAndTheRuntimesEnvironment() {
        var net = TestNetwork.create(NODE, "1.0.0").script("ntrec").script("ntrec").script("ntrec");
        var recorder = net.recorder("ntrec");
        Pod pod = NODE.pod();
        String args = "IgnoreUnknown=1;K8S_POD_NAMESPACE=ntns;K8S_POD_NAME=ntname";

        net.call("ADD", pod, "eth0").args(args).run().requireSuccess();

        List<RecordedCall> adds = recorder.calls("ADD");
        assertThat(adds).extracting(RecordedCall::ifname).containsExactly("net0", "net1", "net2");
        assertThat(adds).allSatisfy(c -> {
            assertThat(c.env()).containsEntry("CNI_CONTAINERID", pod.containerId());
            assertThat(c.env()).containsEntry("CNI_NETNS", pod.netnsPath().toString());
            assertThat(c.env()).containsEntry("CNI_ARGS", args);
            assertThat(c.env().get("CNI_PATH")).startsWith(net.scriptDir().toString());
        });
        net.del(pod).requireSuccess();
    }

    @Test
    void masterpluginGetsTheRuntimesIfname() {
        var net = TestNetwork.create(NODE, "1.0.0").script("ntrec").script("ntrec").script("ntrec");
        ((ObjectNode) net.conf().get("delegates").get(1)).put("masterplugin", true);
        var recorder = net.recorder("ntrec");
        Pod pod = NODE.pod();

        net.add(pod, "ntmain0").requireSuccess();

        assertThat(recorder.calls("ADD")).extracting(RecordedCall::ifname).containsExactly("net0", "ntmain0", "net2");
        net.del(pod, "ntmain0").requireSuccess();
    }

    @Test
    void masterpluginBridgeMakesTheRuntimesInterface() {
        var net = TestNetwork.create(NODE, "0.4.0").macvlan().masterBridge();
        Pod pod = NODE.pod();

        JsonNode result = net.add(pod, "eth0").requireSuccess().json();

        net.assertAttached(pod, "eth0");
        assertThat(pod.netns().linkNames()).containsExactlyInAnyOrder("lo", "net0", "eth0");
        ResultShape.assertValid(result, "0.4.0", pod);
        net.withPrevResult("DEL", pod, "eth0", result).requireSuccess();
        net.assertNothingLeft(pod);
    }

    @Test
    void delegatesInheritNameAndVersionUnlessTheyHaveTheirOwn() {
        var net = TestNetwork.create(NODE, "0.4.0").script("ntrec").script("ntrec");
        ((ObjectNode) net.conf().get("delegates").get(1)).put("name", "ntown").put("cniVersion", "0.3.1");
        var recorder = net.recorder("ntrec");
        Pod pod = NODE.pod();

        net.add(pod).requireSuccess();

        List<RecordedCall> adds = recorder.calls("ADD");
        assertThat(adds).hasSize(2);
        assertThat(adds.get(0).stdin().path("name").asText()).isEqualTo(net.name());
        assertThat(adds.get(0).stdin().path("cniVersion").asText()).isEqualTo("0.4.0");
        assertThat(adds.get(1).stdin().path("name").asText()).isEqualTo("ntown");
        assertThat(adds.get(1).stdin().path("cniVersion").asText()).isEqualTo("0.3.1");
        assertThat(adds).allSatisfy(c -> assertThat(c.stdin().path("type").asText()).isEqualTo("ntrec"));
        net.del(pod).requireSuccess();
    }

    @Test
    void ipsCapabilityIsForwardedOnlyToDelegatesThatDeclareIt() {
        var net = TestNetwork.create(NODE, "1.0.0").bridge().script("ntrec").script("ntrec");
        var recorder = net.recorder("ntrec");
        String subnet = net.ranges().get(0).subnet();
        String wanted = TestNetwork.host(subnet, 77) + "/24";
        ((ObjectNode) net.conf().get("delegates").get(0)).putObject("capabilities").put("ips", true);
        ((ObjectNode) net.conf().get("delegates").get(2)).putObject("capabilities").put("ips", true);
        net.conf().putObject("capabilities").put("ips", true);
        net.conf().putObject("runtimeConfig").putArray("ips").add(wanted);
        Pod pod = NODE.pod();

        JsonNode result = net.add(pod).requireSuccess().json();

        assertThat(pod.netns().requireLink("net0").ipv4()).extracting(Object::toString).containsExactly(wanted);
        assertThat(ResultShape.assertValid(result, "1.0.0", pod)).contains(new ResultShape.Address("net0", wanted));
        List<RecordedCall> adds = recorder.calls("ADD");
        assertThat(adds).extracting(RecordedCall::ifname).containsExactly("net1", "net2");
        assertThat(adds.get(0).stdin().path("runtimeConfig").path("ips").isMissingNode())
                .as("net1 did not declare ips: %s", adds.get(0).stdin()).isTrue();
        assertThat(adds.get(1).stdin().path("runtimeConfig").path("ips").get(0).asText())
                .as("net2 declared ips: %s", adds.get(1).stdin()).isEqualTo(wanted);

        net.del(pod).requireSuccess();
        net.assertNothingLeft(pod);
    }

    @Test
    void delegatesGetTheirOwnCachedResultOnCheckAndDel() {
        var net = TestNetwork.create(NODE, "1.0.0").bridge().script("ntrec");
        var recorder = net.recorder("ntrec");
        Pod pod = NODE.pod();
        JsonNode merged = net.add(pod).requireSuccess().json();
        String bridgeAddress = net.addressOf(pod, 0, "eth0").cidr();
        assertThat(merged.toString()).contains(bridgeAddress);

        net.withPrevResult("CHECK", pod, "eth0", merged).requireSuccess();
        net.withPrevResult("DEL", pod, "eth0", merged).requireSuccess();

        List<RecordedCall> later = recorder.calls().stream().filter(c -> !c.command().equals("ADD")).toList();
        assertThat(later).extracting(RecordedCall::command).contains("CHECK", "DEL");
        assertThat(later).allSatisfy(c -> {
            assertThat(c.ifname()).isEqualTo("net1");
            assertThat(c.stdin().path("prevResult").isObject()).as("prevResult given to %s", c.command()).isTrue();
            assertThat(c.stdin().path("prevResult").toString()).as("net1 sees its own result, not the merged one")
                    .doesNotContain(bridgeAddress);
        });
        net.assertNothingLeft(pod);
    }

    @ParameterizedTest
    @MethodSource("dev.nugator.it.Versions#fromZeroThree")
    void chainedPrevResultIsPassedThrough(String version) {
        Pod pod = NODE.pod();
        var net = TestNetwork.create(NODE, version);
        net.conf().remove("delegates");
        JsonNode prev = primaryResult(version, pod);
        ObjectNode conf = net.confWithPrevResult(prev);

        CniResult add = dev.nugator.testkit.CniCall.of("ADD").pod(pod).ifname("eth0").config(conf).run();

        JsonNode result = add.requireSuccess().json();
        assertThat(result.path("cniVersion").asText()).isEqualTo(version);
        for (String field : new String[] {"interfaces", "ips", "routes", "dns"}) {
            assertThat(result.path(field)).as("%s passed through", field).isEqualTo(prev.path(field));
        }
        if (Versions.withCheck().contains(version)) {
            dev.nugator.testkit.CniCall.of("CHECK").pod(pod).ifname("eth0").config(net.confWithPrevResult(result))
                    .run().requireSuccess();
        }
        CniResult del = dev.nugator.testkit.CniCall.of("DEL").pod(pod).ifname("eth0").config(net.confWithPrevResult(result)).run();
        assertThat(del.exitCode()).as(del.describe()).isZero();
        net.assertNoState(pod);
    }

    /** What a primary plugin (say, the bridge before us in a conflist) would have returned. */
    private static JsonNode primaryResult(String version, Pod pod) {
        var result = Json.object().put("cniVersion", version);
        result.putArray("interfaces").addObject().put("name", "eth0").put("mac", "0a:58:c0:00:02:05")
                .put("sandbox", pod.netnsPath().toString());
        var ip = result.putArray("ips").addObject();
        if (version.startsWith("0.")) {
            ip.put("version", "4");
        }
        ip.put("address", "192.0.2.5/24").put("gateway", "192.0.2.1").put("interface", 0);
        result.putArray("routes").addObject().put("dst", "0.0.0.0/0").put("gw", "192.0.2.1");
        result.putObject("dns").putArray("nameservers").add("192.0.2.53");
        return result;
    }

    @Test
    void stateIsWrittenBeforeTheFirstDelegateRuns() {
        var net = TestNetwork.create(NODE, "1.0.0").script("ntpeek").bridge();
        Path seen = net.scriptDir().resolve("state-seen-by-delegate");
        Path attachments = NODE.daemon().stateDir().resolve("attachments");
        ScriptPlugin.install(net.scriptDir(), "ntpeek", """
                cat >/dev/null
                if [ "$CNI_COMMAND" = ADD ]; then
                  find '%s' -path "*$CNI_CONTAINERID*" -name '*.json' > '%s'
                  printf '{"cniVersion":"1.0.0","interfaces":[],"ips":[],"dns":{}}'
                fi
                exit 0
                """.formatted(attachments, seen));
        Pod pod = NODE.pod();

        net.add(pod).requireSuccess();

        assertThat(readOrEmpty(seen)).as("state files of the attachment while delegate net0 ran").isNotBlank();
        net.del(pod).requireSuccess();
        net.assertNothingLeft(pod);
    }

    @Test
    void nothingIsCachedInVarLibCniResults() {
        var net = TestNetwork.create(NODE, "1.0.0").bridge();
        Pod pod = NODE.pod();

        net.add(pod).requireSuccess();

        ProcResult grep = Proc.of("sh", "-c", "ls /var/lib/cni/results 2>/dev/null | grep -c " + pod.containerId() + " || true").check();
        assertThat(grep.stdout().strip()).as("cache files of our container in /var/lib/cni/results").isIn("", "0");
        net.del(pod).requireSuccess();
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
