package dev.nugator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.CniReply;
import dev.nugator.cni.Json;
import dev.nugator.control.ControlService;
import dev.nugator.pairing.LinkRegistry;
import dev.nugator.pairing.StoreLinkStatus;
import dev.nugator.store.StoreSpec;
import dev.nugator.wire.ControlClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where a command goes, mixed into every command: the local nugatord over its socket, or, with
 * {@code --etcd}, the etcd cluster itself (so that an announcer can run anywhere, e.g. as a
 * Kubernetes job). Both run the same control operations; only status differs, as the store alone
 * sees no kernel.
 */
final class DaemonOptions {
    @Option(names = "--socket", paramLabel = "PATH", defaultValue = "${env:NUGATOR_SOCKET:-/run/nugator/nugator.sock}",
            description = "nugatord's socket (env NUGATOR_SOCKET). Default: ${DEFAULT-VALUE}")
    Path socket;

    @Option(names = "--etcd", paramLabel = "ENDPOINTS", defaultValue = "${env:NUGATOR_ETCD}",
            description = "Talk to the etcd cluster directly instead of nugatord: HOST:PORT[,HOST:PORT...] (env NUGATOR_ETCD).")
    String etcd;

    @picocli.CommandLine.Mixin
    EtcdTlsOptions tls;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60", description = "How long to wait for nugatord. Default: ${DEFAULT-VALUE}")
    int timeoutSeconds;

    /** The reply's JSON; a refusal becomes {@link CliFailure} with every problem listed. */
    JsonNode call(ObjectNode request) {
        var reply = etcd != null && !etcd.isBlank() ? callEtcd(request) : callDaemon(request);
        try {
            var body = Json.MAPPER.readTree(reply.stdout());
            if (reply.exitCode() != 0) {
                throw CliFailure.fromDaemon(body);
            }
            return body;
        } catch (IOException e) {
            throw new CliFailure(1, "unreadable reply: " + e.getMessage());
        }
    }

    private CniReply callDaemon(ObjectNode request) {
        var client = new ControlClient(socket);
        try {
            var reply = client.call(Json.bytes(request), Duration.ofSeconds(timeoutSeconds));
            return new CniReply(reply.exitCode(), reply.stdout());
        } catch (IOException e) {
            throw new CliFailure(Main.UNREACHABLE, "cannot reach nugatord at " + socket + ": " + e.getMessage()
                    + "\nstart it with `nugatord --socket " + socket + "` (as root), or pass --socket, or --etcd ENDPOINTS");
        }
    }

    private CniReply callEtcd(ObjectNode request) {
        StoreSpec spec;
        try {
            spec = tls.apply(StoreSpec.parse("etcd://" + etcd, Path.of(".")));
        } catch (IllegalArgumentException e) {
            throw new CliFailure(2, e.getMessage().replace(StoreSpec.OPTION + " 'etcd://", "--etcd '"));
        }
        // jetcd's Vert.x makes a cache directory (/tmp/vertx-cache-<uuid> by default) and deletes it
        // asynchronously on close, which a CLI's exit outruns: it goes in a directory of ours instead.
        Path cache = null;
        try {
            if (System.getProperty("vertx.cacheDirBase") == null) {
                cache = Files.createTempDirectory("nugatorctl-");
                System.setProperty("vertx.cacheDirBase", cache.resolve("vertx-cache").toString());
            }
            try (var store = spec.open()) {
                var registry = new LinkRegistry(store);
                return new ControlService(registry, new StoreLinkStatus(registry)).handle(Json.bytes(request));
            }
        } catch (IOException e) {
            throw new CliFailure(1, "cannot make a temporary directory: " + e.getMessage());
        } finally {
            deleteTree(cache);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // a leftover temp dir is not worth failing the command for
        }
    }
}
