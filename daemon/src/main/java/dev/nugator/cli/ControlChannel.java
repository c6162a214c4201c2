package dev.nugator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.CniReply;
import dev.nugator.cni.Json;
import java.io.IOException;

/**
 * Where one command's control requests go, open for the command's life: nugatord's socket, or
 * (with {@code --etcd}) the store itself, opened once however many pages the answer has.
 */
interface ControlChannel extends AutoCloseable {

    /** The reply's JSON; a refusal becomes {@link CliFailure} with every problem listed. */
    JsonNode call(ObjectNode request);

    @Override
    void close();

    /** A reply as the control service gave it, turned into its JSON or a {@link CliFailure}. */
    static JsonNode decode(CniReply reply) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(reply.stdout());
        } catch (IOException e) {
            throw new CliFailure(1, "unreadable reply: " + e.getMessage());
        }
        if (reply.exitCode() != 0) {
            throw CliFailure.fromDaemon(body);
        }
        return body;
    }
}
