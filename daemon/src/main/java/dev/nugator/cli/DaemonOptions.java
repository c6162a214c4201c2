package dev.nugator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.Json;
import dev.nugator.wire.ControlClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How a command reaches nugatord; mixed into every command that needs it. */
final class DaemonOptions {
    @Option(names = "--socket", paramLabel = "PATH", defaultValue = "${env:NUGATOR_SOCKET:-/run/nugator/nugator.sock}",
            description = "nugatord's socket (env NUGATOR_SOCKET). Default: ${DEFAULT-VALUE}")
    Path socket;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60", description = "How long to wait for nugatord. Default: ${DEFAULT-VALUE}")
    int timeoutSeconds;

    /** The reply's JSON; a daemon-side failure becomes {@link CliFailure} with every problem listed. */
    JsonNode call(ObjectNode request) {
        var client = new ControlClient(socket);
        try {
            var reply = client.call(Json.bytes(request), Duration.ofSeconds(timeoutSeconds));
            var body = Json.MAPPER.readTree(reply.stdout());
            if (reply.exitCode() != 0) {
                throw CliFailure.fromDaemon(body);
            }
            return body;
        } catch (IOException e) {
            throw new CliFailure(Main.UNREACHABLE, "cannot reach nugatord at " + socket + ": " + e.getMessage()
                    + "\nstart it with `nugatord --socket " + socket + "` (as root), or pass --socket");
        }
    }
}
