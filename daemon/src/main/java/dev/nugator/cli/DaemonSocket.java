package dev.nugator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.CniReply;
import dev.nugator.cni.Json;
import dev.nugator.wire.ControlClient;
import dev.nugator.wire.WireException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** Control requests to the local nugatord, one connection each, every one under {@code timeout}. */
final class DaemonSocket implements ControlChannel {
    private final ControlClient client;
    private final Duration timeout;

    DaemonSocket(Path socket, Duration timeout) {
        this.client = new ControlClient(socket);
        this.timeout = timeout;
    }

    @Override
    public JsonNode call(ObjectNode request) {
        try {
            var reply = client.call(Json.bytes(request), timeout);
            return ControlChannel.decode(new CniReply(reply.exitCode(), reply.stdout()));
        } catch (WireException.TooLarge e) {
            // nugatord is fine; what was asked of it is not: no "cannot reach" and no retry (exit 3)
            throw new CliFailure(1, "cannot send this to nugatord: " + e.getMessage());
        } catch (IOException e) {
            throw new CliFailure(Main.UNREACHABLE, "cannot reach nugatord at " + client.socket() + ": " + e.getMessage()
                    + "\nstart it with `nugatord --socket " + client.socket() + "` (as root), or pass --socket, or --etcd ENDPOINTS");
        }
    }

    @Override
    public void close() {
        // a connection lives for one request only
    }
}
