package dev.nugator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.store.StoreSpec;
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
        try (var channel = open()) {
            return channel.call(request);
        }
    }

    /** An answer that may come in pages (status, topology get), every page asked for and joined into one document. */
    ObjectNode callAll(ObjectNode request, PagedReply.Join join) {
        try (var channel = open()) {
            return PagedReply.fetch(channel, request, join);
        }
    }

    private ControlChannel open() {
        if (etcd == null || etcd.isBlank()) {
            return new DaemonSocket(socket, Duration.ofSeconds(timeoutSeconds));
        }
        StoreSpec spec;
        try {
            spec = tls.apply(StoreSpec.parse("etcd://" + etcd, Path.of(".")));
        } catch (IllegalArgumentException e) {
            throw new CliFailure(2, e.getMessage().replace(StoreSpec.OPTION + " 'etcd://", "--etcd '"));
        }
        return EtcdChannel.open(spec);
    }
}
