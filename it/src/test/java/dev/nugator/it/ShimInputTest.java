package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nugator.testkit.CniResult;
import dev.nugator.testkit.Dist;
import dev.nugator.testkit.FileTrees;
import dev.nugator.testkit.Proc;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the real shim does with its stdin before any daemon is asked: a config that is not JSON is
 * error 6 and one too large for a frame error 7, both answered by the shim alone (the socket named
 * in the config is never connected to, however early or late in the config it is named); VERSION
 * answers whatever its stdin, with the cniVersion given on input (CNI spec, "VERSION Success").
 *
 * <p>The socket the configs name is a listener that never accepts: a connection would wait in its
 * backlog, so an empty backlog after the shim exited proves that the shim never connected.
 */
class ShimInputTest {
    /** The shim answers these in milliseconds; this only ends a shim that waits on the listener. */
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final int FRAME_LIMIT = 4 * 1024 * 1024;

    private Path dir;
    private Path socket;
    private ServerSocketChannel listener;

    @BeforeEach
    void listen() throws IOException {
        dir = Files.createTempDirectory("ntshim-");
        socket = dir.resolve("nugatord.sock");
        listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(socket));
        listener.configureBlocking(false);
    }

    @AfterEach
    void stopListening() throws IOException {
        try {
            listener.close();
        } finally {
            FileTrees.delete(dir);
        }
    }

    static Stream<Arguments> notJson() {
        return Stream.of(
                Arguments.of("{\"cniVersion\":\"1.0.0\",\"name\":\"x\" \"socket\":\"SOCKET\"}", "unexpected '\"' at line 1, column 34"),
                Arguments.of("{\"socket\":\"SOCKET\",\"cniVersion\":\"1.0.0\",\"name\":\"x\",}", "unexpected '}'"),
                Arguments.of("{\"socket\":\"SOCKET\",\n \"delegates\":[{\"type\":\"bridge\"}]", "ends early, at line 2"),
                Arguments.of("{\"socket\":\"SOCKET\"} {\"name\":\"x\"}", "expected the end after the top-level value"),
                Arguments.of("{\"socket\":\"SOCKET\",\"mtu\":01500}", "leading zeros"),
                Arguments.of("[{\"socket\":\"SOCKET\"}]", "JSON but not an object"),
                Arguments.of("", "empty"));
    }

    @ParameterizedTest
    @MethodSource("notJson")
    void aConfigThatIsNotJsonIsError6FromTheShimAloneSayingWhatIsWrong(String config, String problem) {
        CniResult result = shim("ADD", config.replace("SOCKET", socket.toString()).getBytes(StandardCharsets.UTF_8));

        assertError(result, 6, problem);
        assertThat(result.errorMsg()).as(result.describe()).startsWith("cannot decode the network config on stdin: ");
        assertNobodyConnected();
    }

    @Test
    void aConfigThatIsNotUtf8IsError6Too() {
        var config = new ByteArrayOutputStream();
        config.writeBytes(("{\"socket\":\"" + socket + "\",\"name\":\"").getBytes(StandardCharsets.UTF_8));
        config.write(0xC3);
        config.writeBytes("(\"}".getBytes(StandardCharsets.UTF_8));

        assertError(shim("DEL", config.toByteArray()), 6, "UTF-8");
        assertNobodyConnected();
    }

    @Test
    void aConfigTooLargeForAFrameIsError7NamingTheLimitAndIsNeverSent() {
        String head = "{\"cniVersion\":\"0.4.0\",\"socket\":\"" + socket + "\",\"name\":\"ntbig\",\"padding\":\"";
        byte[] config = (head + "x".repeat(5 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);

        CniResult result = shim("ADD", config);

        assertError(result, 7, String.valueOf(FRAME_LIMIT));
        assertThat(result.errorMsg()).as(result.describe()).contains("4 MiB").contains("stdin");
        assertThat(result.json().path("cniVersion").asText()).as(result.describe()).isEqualTo("0.4.0");
        assertNobodyConnected();
    }

    @Test
    void versionAnswersWithTheCniVersionGivenOnStdinAsTheSpecSays() {
        CniResult result = shim("VERSION", "{\"cniVersion\":\"0.4.0\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.json().path("cniVersion").asText()).as(result.describe()).isEqualTo("0.4.0");
        assertThat(result.json().path("supportedVersions")).as(result.describe()).hasSize(7);
    }

    @Test
    void versionWithAStdinThatIsNotJsonStillAnswersWithoutAnyDaemon() {
        // The spec's VERSION needs only CNI_COMMAND; its stdin carries nothing but cniVersion, so
        // a stdin that cannot be read is no error (libcni's skel does not even read it).
        CniResult result = shim("VERSION", ("{\"socket\":\"" + socket + "\", not json").getBytes(StandardCharsets.UTF_8));

        assertThat(result.exitCode()).as(result.describe()).isZero();
        JsonNode json = result.json();
        assertThat(json.path("cniVersion").asText()).as(result.describe()).isEqualTo("1.1.0");
        var listed = new ArrayList<String>();
        json.path("supportedVersions").forEach(v -> listed.add(v.asText()));
        assertThat(listed).containsExactly("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");
        assertNobodyConnected();
    }

    /** The real shim with exactly the CNI variables a runtime sets, nothing inherited. */
    private static CniResult shim(String command, byte[] stdin) {
        var proc = Proc.of(Dist.shim().toString()).stdin(stdin).deadline(DEADLINE);
        System.getenv().keySet().stream().filter(k -> k.startsWith("CNI_")).forEach(proc::unsetEnv);
        proc.env("CNI_COMMAND", command).env("CNI_CONTAINERID", "ntshiminput").env("CNI_NETNS", "/run/netns/ntshim-absent")
                .env("CNI_IFNAME", "eth0").env("CNI_PATH", Dist.defaultCniPath());
        return new CniResult(command, proc.run());
    }

    private static void assertError(CniResult result, int code, String inMessage) {
        assertThat(result.exitCode()).as(result.describe()).isEqualTo(1);
        assertThat(result.errorCode()).as(result.describe()).isEqualTo(code);
        assertThat(result.errorMsg()).as(result.describe()).contains(inMessage);
    }

    private void assertNobodyConnected() {
        try (var connection = listener.accept()) {
            assertThat(connection).as("a connection the shim made to %s", socket).isNull();
        } catch (IOException e) {
            throw new AssertionError("cannot look at the listener on " + socket, e);
        }
    }
}
