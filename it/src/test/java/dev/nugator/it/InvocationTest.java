package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.testkit.CniCall;
import dev.nugator.testkit.CniResult;
import dev.nugator.testkit.Json;
import dev.nugator.testkit.NugatorNode;
import dev.nugator.testkit.Pod;
import dev.nugator.testkit.RootIntegrationTest;
import java.util.ArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CNI.md items 1-5: how the plugin is invoked. Environment problems are error 4 naming the
 * variable, config problems are 6 (not JSON), 1 (version) or 7 (naming the field); VERSION
 * answers the versions we can produce. Runs the real shim against a nugatord in a node netns.
 */
@RootIntegrationTest
class InvocationTest {
    @RegisterExtension
    static final NugatorNode NODE = NugatorNode.create();

    private static final String[] SUPPORTED = {"0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"};

    private static ObjectNode plainConf(String version) {
        return TestNetwork.create(NODE, version).bridge().conf();
    }

    // ---- item 5: VERSION ----

    @ParameterizedTest
    @MethodSource("dev.nugator.it.Versions#all")
    void versionListsExactlyTheVersionsWeProduce(String version) {
        var conf = Json.object().put("cniVersion", version).put("socket", NODE.socket().toString());
        CniResult result = CniCall.of("VERSION").config(conf).run().requireSuccess();

        JsonNode json = result.json();
        assertThat(json.path("cniVersion").isTextual()).as("cniVersion in %s", json).isTrue();
        var listed = new ArrayList<String>();
        json.path("supportedVersions").forEach(v -> listed.add(v.asText()));
        assertThat(listed).containsExactlyInAnyOrder(SUPPORTED);
    }

    @Test
    void versionAnswersEvenWithEmptyStdin() {
        // A runtime may probe VERSION with nothing on stdin; then there is no "socket" key either.
        CniResult result = CniCall.of("VERSION").stdin("").run();

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.json().path("supportedVersions")).as(result.describe()).hasSize(SUPPORTED.length);
    }

    // ---- item 1: CNI_COMMAND and required variables ----

    @ParameterizedTest
    @ValueSource(strings = {"FOO", "add", "ADDX", ""})
    void unknownCommandIsError4NamingCniCommand(String command) {
        CniResult result = CniCall.of(command).pod(NODE.pod()).ifname("eth0").config(plainConf("1.0.0")).run();

        assertEnvironmentError(result, "CNI_COMMAND");
    }

    @Test
    void missingCommandIsError4NamingCniCommand() {
        CniResult result = CniCall.of("ADD").unset("CNI_COMMAND").pod(NODE.pod()).ifname("eth0")
                .config(plainConf("1.0.0")).run();

        assertEnvironmentError(result, "CNI_COMMAND");
    }

    static Stream<Arguments> requiredVariables() {
        var cases = new ArrayList<Arguments>();
        for (String command : new String[] {"ADD", "CHECK"}) {
            for (String var : new String[] {"CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_PATH"}) {
                cases.add(Arguments.of(command, var));
            }
        }
        for (String var : new String[] {"CNI_CONTAINERID", "CNI_IFNAME", "CNI_PATH"}) {
            cases.add(Arguments.of("DEL", var));
        }
        cases.add(Arguments.of("GC", "CNI_PATH"));
        cases.add(Arguments.of("STATUS", "CNI_PATH"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} without {1}")
    @MethodSource("requiredVariables")
    void missingRequiredVariableIsError4NamingIt(String command, String variable) {
        CniResult unset = CniCall.of(command).pod(NODE.pod()).ifname("eth0").config(plainConf("1.1.0"))
                .unset(variable).run();
        assertEnvironmentError(unset, variable);

        CniResult empty = CniCall.of(command).pod(NODE.pod()).ifname("eth0").config(plainConf("1.1.0"))
                .env(variable, "").run();
        assertEnvironmentError(empty, variable);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unset", "empty"})
    void delAcceptsMissingNetns(String how) {
        var call = CniCall.of("DEL").containerId(NODE.pod().containerId()).ifname("eth0").config(plainConf("1.0.0"));
        CniResult result = ("unset".equals(how) ? call.unset("CNI_NETNS") : call.netns("")).run();

        assertThat(result.exitCode()).as(result.describe()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GC", "STATUS"})
    void gcAndStatusNeedOnlyCniPath(String command) {
        // No container id, netns or ifname: these commands are about the network, not a container.
        CniResult result = CniCall.of(command).config(plainConf("1.1.0")).run();

        assertThat(result.exitCode()).as(result.describe()).isZero();
    }

    // ---- item 2: container id and interface names ----

    @ParameterizedTest
    @ValueSource(strings = {"-leading-dash", ".leading-dot", "has/slash", "has space", "tab\there", "ünïcode", "semi;colon"})
    void invalidContainerIdIsError4(String containerId) {
        CniResult result = CniCall.of("ADD").containerId(containerId).netns(NODE.pod().netnsPath().toString())
                .ifname("eth0").config(plainConf("1.0.0")).run();

        assertEnvironmentError(result, "CNI_CONTAINERID");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sixteen-chars-xx", "averyveryverylongname", ".", "..", "a/b", "a:b", "a b", "a\tb"})
    void invalidIfnameIsError4(String ifname) {
        CniResult result = CniCall.of("ADD").pod(NODE.pod()).ifname(ifname).config(plainConf("1.0.0")).run();

        assertEnvironmentError(result, "CNI_IFNAME");
    }

    @Test
    void longestValidNamesAreAccepted() {
        // 15-byte ifname and a container id using every allowed punctuation character
        var net = TestNetwork.create(NODE, "1.0.0").masterBridge();
        Pod pod = NODE.pod();
        String ifname = "abcdefghijklmno";
        String containerId = "A1_b2.c3-" + pod.containerId();
        var call = CniCall.of("ADD").containerId(containerId).netns(pod.netnsPath().toString()).ifname(ifname)
                .config(net.conf());

        call.run().requireSuccess();
        assertThat(pod.netns().requireLink(ifname).firstIpv4()).isPresent();

        CniCall.of("DEL").containerId(containerId).netns(pod.netnsPath().toString()).ifname(ifname)
                .config(net.conf()).run().requireSuccess();
        assertThat(pod.netns().linkNames()).containsOnly("lo");
        assertThat(net.leases()).isEmpty();
    }

    // ---- item 3: CNI_ARGS ----

    @Test
    void cniArgsWithUnknownKeysAreToleratedAndPassedOn() {
        var net = TestNetwork.create(NODE, "1.0.0");
        var recorder = net.recorder("ntrec");
        net.script("ntrec");
        Pod pod = NODE.pod();
        String args = "IgnoreUnknown=1;K8S_POD_NAMESPACE=ntns;K8S_POD_NAME=ntpod;K8S_POD_INFRA_CONTAINER_ID="
                + pod.containerId() + ";K8S_POD_UID=0a1b2c3d;NT_SOMETHING_ELSE=x";

        net.call("ADD", pod, "eth0").args(args).run().requireSuccess();

        assertThat(recorder.calls("ADD")).singleElement()
                .satisfies(c -> assertThat(c.env()).containsEntry("CNI_ARGS", args));
        net.call("DEL", pod, "eth0").args(args).run().requireSuccess();
    }

    // ---- item 4: the config on stdin ----

    @ParameterizedTest
    @ValueSource(strings = {"{", "not json at all", "{\"cniVersion\":\"1.0.0\",\"name\":\"x\",}", "[1,2", "{\"name\":\"x\"}}}"})
    void badJsonIsError6(String tail) {
        // the socket key comes first so that the shim (which only scans for it) still finds nugatord
        String stdin = "{\"socket\":\"" + NODE.socket() + "\",\"cniVersion\":\"1.0.0\",\"x\":" + tail;

        CniResult result = CniCall.of("ADD").pod(NODE.pod()).ifname("eth0").stdin(stdin).run();

        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.errorCode()).as(result.describe()).isEqualTo(6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.5.0", "1.2.0", "2.0.0", "0.3", "banana"})
    void unsupportedVersionIsError1(String version) {
        CniResult result = CniCall.of("ADD").pod(NODE.pod()).ifname("eth0").config(plainConf(version)).run();

        assertThat(result.errorCode()).as(result.describe()).isEqualTo(1);
        assertThat(result.errorText()).as(result.describe()).contains(version);
    }

    static Stream<Arguments> invalidConfigs() {
        return Stream.of(
                invalid("name", c -> c.put("name", 5)),
                invalid("name", c -> c.remove("name")),
                invalid("delegates", c -> c.put("delegates", "bridge")),
                invalid("delegates[0]", c -> ((ArrayNode) c.get("delegates")).set(0, Json.MAPPER.getNodeFactory().textNode("bridge"))),
                invalid("delegates[0].type", c -> ((ObjectNode) c.get("delegates").get(0)).remove("type")),
                invalid("delegates[1].type", c -> ((ObjectNode) c.get("delegates").get(1)).put("type", 5)),
                invalid("delegates[0].masterplugin", c -> ((ObjectNode) c.get("delegates").get(0)).put("masterplugin", "yes")),
                invalid("delegates[1].cniVersion", c -> ((ObjectNode) c.get("delegates").get(1)).put("cniVersion", 1)),
                invalid("runtimeConfig", c -> c.put("runtimeConfig", "not an object")),
                invalid("prevResult", c -> c.put("prevResult", "none")));
    }

    private static Arguments invalid(String field, Consumer<ObjectNode> breakIt) {
        return Arguments.of(field, breakIt);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigs")
    void invalidConfigIsError7NamingTheField(String field, Consumer<ObjectNode> breakIt) {
        ObjectNode conf = TestNetwork.create(NODE, "1.0.0").bridge().bridge().conf();
        breakIt.accept(conf);

        CniResult result = CniCall.of("ADD").pod(NODE.pod()).ifname("eth0").config(conf).run();

        assertThat(result.errorCode()).as(result.describe()).isEqualTo(7);
        assertThat(result.errorText()).as(result.describe()).contains(field);
    }

    @Test
    void twoMasterpluginsAreError7() {
        ObjectNode conf = TestNetwork.create(NODE, "1.0.0").masterBridge().masterBridge().conf();

        CniResult result = CniCall.of("ADD").pod(NODE.pod()).ifname("eth0").config(conf).run();

        assertThat(result.errorCode()).as(result.describe()).isEqualTo(7);
        assertThat(result.errorText()).as(result.describe()).contains("masterplugin");
    }

    @Test
    void unknownFieldsAreKeptNotRejected() {
        var net = TestNetwork.create(NODE, "1.0.0");
        var recorder = net.recorder("ntrec");
        net.script("ntrec");
        net.conf().putObject("ntTopLevelExtra").put("anything", 1);
        ((ObjectNode) net.conf().get("delegates").get(0)).put("ntDelegateExtra", "kept as given");
        Pod pod = NODE.pod();

        net.add(pod).requireSuccess();

        assertThat(recorder.calls("ADD")).singleElement()
                .satisfies(c -> assertThat(c.stdin().path("ntDelegateExtra").asText()).isEqualTo("kept as given"));
        net.del(pod).requireSuccess();
    }

    // ---- item 8: the error shape ----

    @ParameterizedTest
    @MethodSource("dev.nugator.it.Versions#all")
    void errorsCarryVersionCodeAndMessage(String version) {
        ObjectNode conf = TestNetwork.create(NODE, version).masterBridge().masterBridge().conf();

        CniResult result = CniCall.of("ADD").pod(NODE.pod()).ifname("eth0").config(conf).run();

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(1);
        JsonNode error = result.json();
        assertThat(error.path("cniVersion").asText()).as(result.describe()).isEqualTo(version);
        assertThat(error.path("code").isInt()).as(result.describe()).isTrue();
        assertThat(error.path("msg").asText()).as(result.describe()).isNotBlank();
    }

    static void assertEnvironmentError(CniResult result, String variable) {
        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.errorCode()).as(result.describe()).isEqualTo(4);
        assertThat(result.errorText()).as(result.describe()).contains(variable);
    }
}
