package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nugator.testkit.CniCall;
import dev.nugator.testkit.CniResult;
import dev.nugator.testkit.Json;
import dev.nugator.testkit.Nugatord;
import dev.nugator.testkit.NugatorNode;
import dev.nugator.testkit.Pod;
import dev.nugator.testkit.RootIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shim/daemon boundary: nugatord's socket is root-only, bad bytes on it get an error reply
 * and never take the daemon down or block other clients, SIGTERM stops it cleanly, a crash loses
 * no attachment, and debug logging goes to the log, never to the runtime's stdout.
 */
@RootIntegrationTest
class DaemonRobustnessTest {
    @RegisterExtension
    static final NugatorNode NODE = NugatorNode.create(b -> b.logLevel("debug"));

    private static final Duration REPLY_LIMIT = Duration.ofSeconds(15);

    @Test
    void socketIsRootOnly() throws Exception {
        assertThat(Files.getPosixFilePermissions(NODE.socket()))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getAttribute(NODE.socket(), "unix:mode")).satisfies(
                mode -> assertThat((Integer) mode & 0170000).as("file type is socket").isEqualTo(0140000));
    }

    @Test
    void garbageGetsAnErrorReplyAndTheDaemonKeepsServing() throws Exception {
        try (var raw = RawSocket.connect(NODE.socket())) {
            raw.write("GET / HTTP/1.1\r\nHost: nugator\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).finish();
            assertErrorReply(raw.readReply(REPLY_LIMIT));
        }
        assertStillServes();
    }

    @Test
    void truncatedFrameGetsAnErrorReplyAndTheDaemonKeepsServing() throws Exception {
        byte[] frame = RawSocket.request(1, Map.of("CNI_COMMAND", "VERSION"), "{\"cniVersion\":\"1.0.0\"}");
        try (var raw = RawSocket.connect(NODE.socket())) {
            raw.write(java.util.Arrays.copyOf(frame, frame.length - 7)).finish();
            assertErrorReply(raw.readReply(REPLY_LIMIT));
        }
        assertStillServes();
    }

    @Test
    void truncatedHeaderGetsAnErrorReplyAndTheDaemonKeepsServing() throws Exception {
        try (var raw = RawSocket.connect(NODE.socket())) {
            raw.write(new byte[] {'N', 'U', 'G', 'A', 0}).finish();
            assertErrorReply(raw.readReply(REPLY_LIMIT));
        }
        assertStillServes();
    }

    @Test
    void oversizedFrameIsRefusedWithoutReadingIt() throws Exception {
        try (var raw = RawSocket.connect(NODE.socket())) {
            // announces 64 MiB; we never send it, so a daemon that tried to read it would hang
            raw.write(RawSocket.header(1, RawSocket.KIND_REQUEST, 64 * 1024 * 1024));
            try {
                raw.write(new byte[4096]);
            } catch (java.io.IOException answeredAlready) {
                // nugatord refused on the header alone and closed (EPIPE): its reply waits to be read all the same
            }
            assertErrorReply(raw.readReply(REPLY_LIMIT));
        }
        assertStillServes();
    }

    @Test
    void malformedBodyGetsAnErrorReply() throws Exception {
        // a well-framed request whose body claims 1000 environment entries but holds none
        byte[] body = java.nio.ByteBuffer.allocate(8).putInt(1000).putInt(0).array();
        try (var raw = RawSocket.connect(NODE.socket())) {
            raw.write(RawSocket.header(1, RawSocket.KIND_REQUEST, body.length)).write(body).finish();
            assertErrorReply(raw.readReply(REPLY_LIMIT));
        }
        assertStillServes();
    }

    @Test
    void unknownProtocolVersionGetsAClearError() throws Exception {
        byte[] frame = RawSocket.request(99, Map.of("CNI_COMMAND", "VERSION"), "{\"cniVersion\":\"1.0.0\"}");
        try (var raw = RawSocket.connect(NODE.socket())) {
            raw.write(frame).finish();
            RawSocket.Reply reply = assertErrorReply(raw.readReply(REPLY_LIMIT));
            assertThat(reply.stdout()).containsIgnoringCase("protocol");
        }
        assertStillServes();
    }

    @Test
    void wellFormedRawRequestIsServed() throws Exception {
        // guards the raw client: the same encoding, correct, gets a normal answer
        var env = new LinkedHashMap<String, String>();
        env.put("CNI_COMMAND", "VERSION");
        env.put("CNI_PATH", "/usr/lib/cni");
        try (var raw = RawSocket.connect(NODE.socket())) {
            raw.write(RawSocket.request(1, env, "{\"cniVersion\":\"1.0.0\"}")).finish();
            RawSocket.Reply reply = raw.readReply(REPLY_LIMIT).orElseThrow();
            assertThat(reply.kind()).isEqualTo(RawSocket.KIND_REPLY);
            assertThat(reply.exitCode()).as(reply.stdout()).isZero();
            assertThat(Json.parse(reply.stdout()).path("supportedVersions").size()).isEqualTo(7);
        }
    }

    @Test
    void aStalledClientDoesNotBlockOthers() throws Exception {
        try (var stalled = RawSocket.connect(NODE.socket());
             var silent = RawSocket.connect(NODE.socket())) {
            stalled.write(new byte[] {'N', 'U', 'G', 'A', 0, 1});
            // both stay open while a real call goes through
            var net = TestNetwork.create(NODE, "1.0.0").bridge();
            Pod pod = NODE.pod();
            net.add(pod).requireSuccess();
            net.del(pod).requireSuccess();
            assertThat(silent).isNotNull();
        }
        assertStillServes();
    }

    @Test
    void debugLogHasTheParsedConfigAndStdoutOnlyTheResult() {
        var net = TestNetwork.create(NODE, "1.0.0").bridge();
        String bridge = net.bridges().getFirst();
        Pod pod = NODE.pod();

        CniResult add = net.add(pod).requireSuccess();

        JsonNode result = Json.parse(add.stdout()); // the whole of stdout is one JSON document
        assertThat(result.path("cniVersion").asText()).isEqualTo("1.0.0");
        assertThat(add.stdout()).doesNotContain("DEBUG").doesNotContain("parsed");
        String log = NODE.daemon().log();
        assertThat(log).as("nugatord's debug log mentions the network and its delegate config")
                .contains(net.name()).contains(bridge).contains(pod.containerId());
        net.del(pod).requireSuccess();
    }

    @Test
    void sigtermStopsNugatordAndRemovesTheSocket() {
        Nugatord daemon = NODE.track(Nugatord.in(NODE.node()).start());
        assertThat(daemon.socket()).exists();

        int exit = daemon.stop();

        assertThat(daemon.isAlive()).isFalse();
        assertThat(exit).as("not killed by the SIGKILL fallback").isNotEqualTo(137);
        assertThat(daemon.socket()).as("socket removed on SIGTERM").doesNotExist();
        assertThat(daemon.log()).doesNotContainIgnoringCase("exception");
    }

    @Test
    void attachmentsSurviveAKillAndRestart() {
        Nugatord daemon = NODE.track(Nugatord.in(NODE.node()).start());
        var net = TestNetwork.create(NODE, daemon, "1.0.0").macvlan().bridge();
        Pod pod = NODE.pod();
        JsonNode result = net.add(pod).requireSuccess().json();

        daemon.kill();
        daemon.restart(); // the stale socket file of the killed daemon must not stop it

        net.withPrevResult("CHECK", pod, "eth0", result).requireSuccess();
        assertThat(net.add(pod).errorCode()).as("still attached: a second ADD is refused").isEqualTo(102);
        net.withPrevResult("DEL", pod, "eth0", result).requireSuccess();
        net.assertNothingLeft(pod);
    }

    @Test
    void shimStdoutHasNoJvmNoiseOnErrors() {
        var net = TestNetwork.create(NODE, "1.0.0").masterBridge().masterBridge();

        CniResult add = CniCall.of("ADD").pod(NODE.pod()).ifname("eth0").config(net.conf()).run();

        assertThat(add.exitCode()).isEqualTo(1);
        assertThat(Json.parse(add.stdout()).path("code").asInt()).isEqualTo(7);
    }

    private static RawSocket.Reply assertErrorReply(Optional<RawSocket.Reply> reply) {
        assertThat(reply).as("an error reply (not just a closed connection)").isPresent();
        RawSocket.Reply r = reply.orElseThrow();
        assertThat(r.kind()).isEqualTo(RawSocket.KIND_REPLY);
        assertThat(r.exitCode()).as(r.stdout()).isNotZero();
        JsonNode error = Json.parse(r.stdout());
        assertThat(error.path("code").asInt()).as(r.stdout()).isPositive();
        assertThat(error.path("msg").asText()).as(r.stdout()).isNotBlank();
        return r;
    }

    private static void assertStillServes() {
        assertThat(NODE.daemon().isAlive()).as("nugatord still running").isTrue();
        var conf = Json.object().put("cniVersion", "1.0.0").put("socket", NODE.socket().toString());
        CniResult version = CniCall.of("VERSION").config(conf).run();
        assertThat(version.exitCode()).as(version.describe()).isZero();
    }
}
