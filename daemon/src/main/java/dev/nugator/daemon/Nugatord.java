package dev.nugator.daemon;

import dev.nugator.cni.Json;
import dev.nugator.delegate.ProcessPluginExecutor;
import dev.nugator.plugin.Dispatcher;
import dev.nugator.store.FileAttachmentStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the daemon together and runs it until SIGTERM or SIGINT. */
final class Nugatord {
    private static final Logger log = LoggerFactory.getLogger(Nugatord.class);
    private static final Duration CLEANUP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(20);

    private final Path socket;
    private final Path stateDir;
    private final Duration commandTimeout;

    Nugatord(Path socket, Path stateDir, Duration commandTimeout) {
        this.socket = socket;
        this.stateDir = stateDir;
        this.commandTimeout = commandTimeout;
    }

    int runUntilStopped() throws Exception {
        var store = new FileAttachmentStore(stateDir, Json.MAPPER);
        var dispatcher = new Dispatcher(store, new ProcessPluginExecutor(), commandTimeout, CLEANUP_TIMEOUT);
        var stopped = new CountDownLatch(1);
        try (var server = SocketServer.bind(socket, dispatcher::handle)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                log.info("stopping: no new requests, waiting up to {} s for those in flight", DRAIN_TIMEOUT.toSeconds());
                server.close(DRAIN_TIMEOUT);
                stopped.countDown();
            }, "nugatord-shutdown"));
            log.info("nugatord ready on {} (state {}, command timeout {} s)", socket, stateDir, commandTimeout.toSeconds());
            server.serve();
            stopped.await();
        }
        log.info("nugatord stopped");
        return 0;
    }
}
