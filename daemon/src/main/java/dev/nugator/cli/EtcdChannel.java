package dev.nugator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.Json;
import dev.nugator.control.ControlService;
import dev.nugator.pairing.LinkRegistry;
import dev.nugator.pairing.StoreLinkStatus;
import dev.nugator.store.KvStore;
import dev.nugator.store.StoreSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Control requests run in this process against etcd, without a nugatord: the same control
 * service, over a store opened once for the command (jetcd takes about a second to start).
 */
final class EtcdChannel implements ControlChannel {
    /** How long close() waits for Vert.x to finish with its cache directory before leaving it. */
    private static final Duration CACHE_GONE = Duration.ofSeconds(1);
    private final Path cache;
    private final KvStore store;
    private final ControlService service;

    private EtcdChannel(Path cache, KvStore store) {
        this.cache = cache;
        this.store = store;
        var registry = new LinkRegistry(store);
        this.service = new ControlService(registry, new StoreLinkStatus(registry));
    }

    static EtcdChannel open(StoreSpec spec) {
        // jetcd's Vert.x makes a cache directory (/tmp/vertx-cache-<uuid> by default) and deletes it
        // asynchronously on close, which a CLI's exit outruns: it goes in a directory of ours instead.
        Path cache = null;
        try {
            if (System.getProperty("vertx.cacheDirBase") == null) {
                cache = Files.createTempDirectory("nugatorctl-");
                System.setProperty("vertx.cacheDirBase", cache.resolve("vertx-cache").toString());
            }
            return new EtcdChannel(cache, spec.open());
        } catch (IOException e) {
            TempTree.delete(cache, CACHE_GONE);
            throw new CliFailure(1, "cannot make a temporary directory: " + e.getMessage());
        } catch (RuntimeException e) {
            TempTree.delete(cache, CACHE_GONE);
            throw e;
        }
    }

    @Override
    public JsonNode call(ObjectNode request) {
        return ControlChannel.decode(service.handle(Json.bytes(request)));
    }

    @Override
    public void close() {
        try {
            store.close();
        } finally {
            TempTree.delete(cache, CACHE_GONE);
        }
    }
}
