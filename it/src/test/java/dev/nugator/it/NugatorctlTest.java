package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nugator.testkit.CniCall;
import dev.nugator.testkit.CniResult;
import dev.nugator.testkit.Dist;
import dev.nugator.testkit.IpAddr;
import dev.nugator.testkit.Json;
import dev.nugator.testkit.LinkStatusReport;
import dev.nugator.testkit.Names;
import dev.nugator.testkit.NetConf;
import dev.nugator.testkit.NugatorNode;
import dev.nugator.testkit.Nugatorctl;
import dev.nugator.testkit.Pod;
import dev.nugator.testkit.ProcResult;
import dev.nugator.testkit.RootIntegrationTest;
import dev.nugator.testkit.StoreKeys;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code nugatorctl} as an operator (or the seed's announcer job) uses it: announce from the
 * environment or from flags, clear refusals naming the variable, exit 3 naming the socket when
 * nugatord is not there, help for every command, and the shape of {@code status -o json}.
 */
@RootIntegrationTest
class NugatorctlTest {
    private static final Set<String> LINK_STATES = Set.of("pending", "up", "error");
    private static final Set<String> END_STATES = Set.of("pending", "up", "down", "error", "remote");

    @RegisterExtension
    static final NugatorNode NODE = NugatorNode.create();

    private static Nugatorctl ctl() {
        return Nugatorctl.at(NODE.socket());
    }

    private static Map<String, String> seedEnv() {
        return Nugatorctl.readEnvFile(Dist.seedFixture("announcer.env"));
    }

    @Test
    void announceFromTheSeedsEnvironmentRecordsThePairAndThePodGetsItsAddressWithA24() {
        ProcResult announce = ctl().run(seedEnv(), "announce");

        assertThat(announce.exitCode()).as(announce.describe()).isZero();
        LinkStatusReport status = ctl().status();
        var link = status.link("default/sample-announce:in1");
        assertThat(link.hasEnd("default/pair-pod:in2")).as("%s", link).isTrue();
        assertThat(link.source()).isEqualTo("announce");
        assertThat(List.of(link.a().state(), link.b().state())).as("nobody runs yet: %s", link).containsOnly("pending");

        // PRIMARY=true makes sample-announce the owner; TARGET_CONTAINER and PUBLIC_IP are kept with the link
        // (nugatorctl shows neither, so this looks into the store when sqlite3 is there)
        StoreKeys.values(NODE.daemon(), "/nugator/v1/links/").ifPresent(values -> {
            JsonNode stored = values.stream().filter(v -> v.toString().contains("sample-announce")).findFirst()
                    .orElseThrow(() -> new AssertionError("no stored link with sample-announce: " + values));
            String owner = stored.path("owner").asText();
            assertThat(stored.path(owner).path("pod").asText()).as("owner of %s", stored).isEqualTo("default/sample-announce");
            assertThat(stored.toString()).as("stored link").contains("target-container").contains("1.1.1.1");
        });

        // the same announcement again (the announcer job re-runs) does not make a second link
        ctl().run(seedEnv(), "announce").requireSuccess();
        assertThat(ctl().status().links().stream().filter(l -> l.hasEnd("default/sample-announce:in1")).count()).isEqualTo(1);

        // what the pod sees: LOCAL_IP without a prefix became /24
        Pod pod = NODE.pod();
        attach(pod, "sample-announce");
        assertThat(pod.netns().requireLink("in1").addresses()).extracting(IpAddr::cidr).contains("192.168.2.100/24");
        detach(pod, "sample-announce");
    }

    @Test
    void announceFromFlagsKeepsAGivenPrefixAndGivesIpv6A64() {
        String left = Names.unique("ntl");
        String right = Names.unique("ntr");

        ProcResult v4 = ctl().run("announce", "--pod-name", left, "--local-ifname", "f1", "--local-ip", "198.51.100.1/31",
                "--pair-name", right, "--pair-ifname", "f1", "--pair-ip", "198.51.100.0");
        ProcResult v6 = ctl().run("announce", "--pod-name", left, "--local-ifname", "f6", "--local-ip", "2001:db8::1",
                "--pair-name", right, "--pair-ifname", "f6", "--pair-ip", "2001:db8::2/126", "--primary");

        assertThat(v4.exitCode()).as(v4.describe()).isZero();
        assertThat(v6.exitCode()).as(v6.describe()).isZero();
        assertThat(v4.stdout()).contains("198.51.100.1/31").contains("198.51.100.0/24");
        Pod l = NODE.pod();
        Pod r = NODE.pod();
        attach(l, left);
        attach(r, right);
        assertThat(l.netns().requireLink("f1").addresses()).extracting(IpAddr::cidr).contains("198.51.100.1/31");
        assertThat(r.netns().requireLink("f1").addresses()).extracting(IpAddr::cidr).contains("198.51.100.0/24");
        assertThat(l.netns().requireLink("f6").addresses()).extracting(IpAddr::cidr).contains("2001:db8::1/64");
        assertThat(r.netns().requireLink("f6").addresses()).extracting(IpAddr::cidr).contains("2001:db8::2/126");
        assertThat(ctl().status().link("default/" + left + ":f6").state()).isEqualTo("up");
        detach(l, left);
        detach(r, right);
    }

    @Test
    void aFlagOverridesTheEnvironmentVariableOfTheSameName() {
        String fromFlag = Names.unique("ntflag");
        var env = seedEnv();
        env.put("POD_NAME", Names.unique("ntenv"));
        env.put("LOCAL_IFNAME", "o1");
        env.put("PAIR_IFNAME", "o2");

        ProcResult announce = ctl().run(env, "announce", "--pod-name", fromFlag);

        assertThat(announce.exitCode()).as(announce.describe()).isZero();
        var status = ctl().status();
        assertThat(status.find("default/" + fromFlag + ":o1")).as("%s", status).isPresent();
        assertThat(status.find("default/" + env.get("POD_NAME") + ":o1")).as("%s", status).isEmpty();
    }

    @Test
    void withoutPodNameAnnounceExits1NamingPodNameAndRecordsNothing() {
        JsonNode before = ctl().status().raw();
        var env = seedEnv();
        env.remove("POD_NAME");
        env.put("LOCAL_IFNAME", "m1");

        ProcResult announce = ctl().run(env, "announce");

        assertThat(announce.exitCode()).as(announce.describe()).isEqualTo(1);
        assertThat(announce.stderr()).as(announce.describe()).contains("POD_NAME");
        assertThat(ctl().status().raw()).as("status after the refusal").isEqualTo(before);
    }

    @Test
    void aBadAddressIsRefusedNamingItsVariableAndEveryProblemIsListed() {
        JsonNode before = ctl().status().raw();
        var env = seedEnv();
        env.put("LOCAL_IP", "192.168.2.300");

        ProcResult badLocal = ctl().run(env, "announce");

        assertThat(badLocal.exitCode()).as(badLocal.describe()).isEqualTo(1);
        assertThat(badLocal.stderr()).as(badLocal.describe()).contains("LOCAL_IP").contains("192.168.2.300");

        env.put("PAIR_IP", "not-an-address");
        env.put("PAIR_IFNAME", "an-interface-name-too-long");
        ProcResult several = ctl().run(env, "announce");
        assertThat(several.exitCode()).as(several.describe()).isEqualTo(1);
        assertThat(several.stderr()).as(several.describe()).contains("LOCAL_IP").contains("PAIR_IP").contains("PAIR_IFNAME");
        assertThat(ctl().status().raw()).as("status after the refusals").isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"announce", "status", "topology get", "topology delete lab"})
    void withNugatordUnreachableEveryCommandExits3NamingTheSocket(String command) {
        Path socket = NODE.tempDir().resolve("absent.sock");
        var args = new ArrayList<>(List.of(command.split(" ")));
        args.addAll(List.of("--socket", socket.toString()));

        ProcResult result = Nugatorctl.bare(seedEnv(), args.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(3);
        assertThat(result.stderr()).as(result.describe()).contains(socket.toString());
    }

    @Test
    void aStaleSocketFileWithNobodyListeningIsUnreachableToo() throws Exception {
        Path socket = NODE.tempDir().resolve("stale.sock");
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
        }
        var env = new LinkedHashMap<String, String>();
        env.put("NUGATOR_SOCKET", socket.toString());

        ProcResult result = Nugatorctl.bare(env, "status");

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(3);
        assertThat(result.stderr()).as(result.describe()).contains(socket.toString());
    }

    static List<List<String>> helpCases() {
        return List.of(
                List.of("", "announce", "topology", "status"),
                List.of("announce", "--pod-name", "--local-ifname", "--local-ip", "--pair-name", "--pair-ifname", "--pair-ip",
                        "--primary", "--target-container", "--public-ip", "--socket", "POD_NAME", "LOCAL_IP"),
                List.of("topology", "apply", "get", "delete"),
                List.of("topology apply", "--file", "-f", "--socket"),
                List.of("topology get", "--output", "json", "NAME", "--socket"),
                List.of("topology delete", "NAME", "--socket"),
                List.of("status", "--output", "json", "--socket"));
    }

    @ParameterizedTest
    @MethodSource("helpCases")
    void helpOfEachCommandExits0AndNamesItsOptions(List<String> helpCase) {
        var args = new ArrayList<String>();
        if (!helpCase.getFirst().isEmpty()) {
            args.addAll(List.of(helpCase.getFirst().split(" ")));
        }
        args.add("--help");

        ProcResult help = ctl().run(args.toArray(String[]::new));

        assertThat(help.exitCode()).as(help.describe()).isZero();
        assertThat(help.stdout()).as(help.describe()).contains(helpCase.subList(1, helpCase.size()));
    }

    @Test
    void usageErrorsExit2() {
        ProcResult unknownFlag = ctl().run("status", "--no-such-flag");
        ProcResult noFile = ctl().run("topology", "apply");
        ProcResult missingFile = ctl().run("topology", "apply", "-f", "/nonexistent/nt-topology.yaml");

        assertThat(unknownFlag.exitCode()).as(unknownFlag.describe()).isEqualTo(2);
        assertThat(noFile.exitCode()).as(noFile.describe()).isEqualTo(2);
        assertThat(missingFile.exitCode()).as(missingFile.describe()).isEqualTo(2);
        assertThat(missingFile.stderr()).contains("/nonexistent/nt-topology.yaml");
    }

    @Test
    void statusJsonHasTheDocumentedShapeAndTheTableShowsTheSameLinks() {
        ctl().run("announce", "--pod-name", Names.unique("nts"), "--local-ifname", "s1", "--local-ip", "203.0.113.1/30",
                "--pair-name", Names.unique("nts"), "--pair-ifname", "s1", "--pair-ip", "203.0.113.2/30").requireSuccess();

        ProcResult json = ctl().run("status", "-o", "json");

        assertThat(json.exitCode()).as(json.describe()).isZero();
        JsonNode root = Json.parse(json.stdout());
        assertThat(root.isObject()).isTrue();
        assertThat(root.path("links").isArray()).as("links is an array: %s", root).isTrue();
        assertThat(root.path("links")).as("at least the link just announced").isNotEmpty();
        for (JsonNode link : root.path("links")) {
            assertThat(link.path("id").isTextual() && !link.path("id").asText().isEmpty()).as("id of %s", link).isTrue();
            assertThat(link.path("state").asText()).as("state of %s", link).isIn(LINK_STATES);
            assertThat(link.path("reason").isTextual()).as("reason of %s", link).isTrue();
            assertThat(link.path("source").isTextual()).as("source of %s", link).isTrue();
            for (String side : List.of("a", "b")) {
                JsonNode end = link.path(side);
                assertThat(end.path("end").asText()).as("%s.end of %s", side, link).matches("[^/\\s]+/[^:/\\s]+:\\S{1,15}");
                assertThat(end.path("state").asText()).as("%s.state of %s", side, link).isIn(END_STATES);
                assertThat(end.path("detail").isTextual()).as("%s.detail of %s", side, link).isTrue();
            }
        }

        ProcResult table = ctl().run("status");
        assertThat(table.exitCode()).as(table.describe()).isZero();
        assertThat(table.stdout().lines().findFirst().orElse("")).contains("LINK", "STATE");
        root.path("links").forEach(link -> assertThat(table.stdout()).contains(link.path("id").asText()));
    }

    private static void attach(Pod pod, String name) {
        cni("ADD", pod, name).requireSuccess();
    }

    private static void detach(Pod pod, String name) {
        cni("DEL", pod, name).requireSuccess();
    }

    private static CniResult cni(String command, Pod pod, String name) {
        return CniCall.of(command).pod(pod).ifname("eth0").args("IgnoreUnknown=1;K8S_POD_NAME=" + name)
                .config(NetConf.nugator("ntctl", "1.0.0", NODE.socket())).run();
    }
}
