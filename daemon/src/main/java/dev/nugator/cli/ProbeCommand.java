package dev.nugator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nugator.cni.Json;
import dev.nugator.wire.ControlClient;
import dev.nugator.wire.ShimReply;
import dev.nugator.wire.ShimRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nugatorctl probe}: the DaemonSet's liveness and readiness check, asked of nugatord over its
 * socket the way the shim asks: a CNI STATUS of a network with no delegates. Ready when STATUS
 * answers 0 (the attachment records and the link store take writes); live when it answers at all.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"Ask nugatord whether it can serve ADD (CNI STATUS answers 0: exit 0), for a readiness probe;"
                + " with --live only whether it answers at all, for a liveness probe.",
            "Exit 1: not ready (the reason on stderr); 3: nugatord cannot be reached."})
final class ProbeCommand extends CliCommand {
    private static final byte[] STATUS_CONFIG = "{\"cniVersion\":\"1.1.0\",\"name\":\"nugator-probe\",\"type\":\"nugator\"}"
            .getBytes(StandardCharsets.UTF_8);

    @Option(names = "--socket", paramLabel = "PATH", defaultValue = "${env:NUGATOR_SOCKET:-" + InstallDefaults.SOCKET + "}",
            description = "nugatord's socket (env NUGATOR_SOCKET). Default: ${DEFAULT-VALUE}")
    Path socket;

    @Option(names = "--live", description = "Only check that nugatord answers.")
    boolean live;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5", description = "How long to wait for the answer. Default: ${DEFAULT-VALUE}")
    int timeoutSeconds;

    @Override
    void run() {
        if (timeoutSeconds < 1 || timeoutSeconds > 300) {
            throw new CliFailure(2, "--timeout " + timeoutSeconds + ": give 1 to 300 seconds");
        }
        var reply = status();
        if (live || reply.exitCode() == 0) {
            System.out.println(live ? "nugatord answers at " + socket : "nugatord is ready at " + socket);
            return;
        }
        throw new CliFailure(1, "nugatord at " + socket + " is not ready: " + message(reply));
    }

    private ShimReply status() {
        var env = Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/opt/cni/bin");
        try {
            return new ControlClient(socket).cni(new ShimRequest(env, STATUS_CONFIG), Duration.ofSeconds(timeoutSeconds));
        } catch (IOException e) {
            throw new CliFailure(Main.UNREACHABLE, "cannot reach nugatord at " + socket + ": " + e.getMessage());
        }
    }

    private static String message(ShimReply reply) {
        try {
            JsonNode error = Json.MAPPER.readTree(reply.stdout());
            return error.path("msg").asText("CNI error " + error.path("code").asInt());
        } catch (IOException e) {
            return "exit " + reply.exitCode();
        }
    }
}
