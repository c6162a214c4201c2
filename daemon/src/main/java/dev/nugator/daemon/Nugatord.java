package dev.nugator.daemon;

import dev.nugator.cni.CniReply;
import dev.nugator.cni.Json;
import dev.nugator.control.ControlService;
import dev.nugator.delegate.ProcessPluginExecutor;
import dev.nugator.link.LinkEngine;
import dev.nugator.link.Reconciler;
import dev.nugator.link.ThisNode;
import dev.nugator.link.Panel;
import dev.nugator.link.PanelKernel;
import dev.nugator.pairing.LinkRegistry;
import dev.nugator.pairing.Nodes;
import dev.nugator.plugin.Dispatcher;
import dev.nugator.store.FileAttachmentStore;
import dev.nugator.pairing.Keys;
import dev.nugator.store.StoreSpec;
import dev.nugator.store.StoreView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
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
    private final StoreSpec storeSpec;
    private final ThisNode node;
    private final Path panelPath;
    private final Duration commandTimeout;
    private final Duration resyncInterval;

    Nugatord(Path socket, Path stateDir, StoreSpec storeSpec, ThisNode node, Path panelPath, Duration commandTimeout,
             Duration resyncInterval) {
        this.socket = socket;
        this.stateDir = stateDir;
        this.storeSpec = storeSpec;
        this.node = node;
        this.panelPath = panelPath;
        this.commandTimeout = commandTimeout;
        this.resyncInterval = resyncInterval;
    }

    int runUntilStopped() throws Exception {
        // First the state directory, made private (0700, its records 0600) before anything is written
        // into it: SQLite's native library and Vert.x's cache below, the store, the records.
        var attachments = new FileAttachmentStore(stateDir, Json.MAPPER);
        // SQLite unpacks its native library; in the state directory rather than /tmp (noexec on
        // some hosts, and nothing is left in /tmp after a kill -9).
        if (System.getProperty("org.sqlite.tmpdir") == null) {
            System.setProperty("org.sqlite.tmpdir", stateDir.toAbsolutePath().toString());
        }
        // jetcd's Vert.x keeps a cache directory, /tmp/vertx-cache-<uuid> by default, that a kill -9
        // leaves behind: in the state directory it is nugatord's own.
        if (System.getProperty("vertx.cacheDirBase") == null) {
            System.setProperty("vertx.cacheDirBase", stateDir.resolve("vertx-cache").toAbsolutePath().toString());
        }
        // The class list comes from a training run against etcd: with an embedded store, most of it
        // (jetcd, gRPC, Netty, Vert.x) would only cost memory.
        if (storeSpec instanceof StoreSpec.Etcd) {
            ClassWarmup.fromProperty();
        }
        // every read of links, pods and nodes is served from memory, kept current by one watch
        try (var store = StoreView.over(storeSpec.open(), Keys.ROOT); var panel = Panel.open(panelPath);
             var kernel = new PanelKernel(panel)) {
            var registry = new LinkRegistry(store);
            var engine = new LinkEngine(registry, kernel, node);
            var dispatcher = new Dispatcher(attachments, new ProcessPluginExecutor(), commandTimeout, CLEANUP_TIMEOUT, Optional.of(engine));
            var control = new ControlService(registry, engine);
            try (var published = node.record().map(r -> new Nodes(store).publish(r)).orElse(null);
                 var reconciler = new Reconciler(registry, engine, resyncInterval)) {
                reconciler.start();
                serve(new SocketServer.Handlers() {
                    @Override
                    public CniReply cni(Map<String, String> env, byte[] stdin) {
                        return dispatcher.handle(env, stdin);
                    }

                    @Override
                    public CniReply control(byte[] json) {
                        return control.handle(json);
                    }
                });
            }
        }
        log.info("nugatord stopped");
        return 0;
    }

    private void serve(SocketServer.Handlers handlers) throws Exception {
        var stopped = new CountDownLatch(1);
        try (var server = SocketServer.bind(socket, handlers)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                log.info("stopping: no new requests, waiting up to {} s for those in flight", DRAIN_TIMEOUT.toSeconds());
                server.close(DRAIN_TIMEOUT);
                stopped.countDown();
            }, "nugatord-shutdown"));
            log.info("nugatord ready on {} (node {}, underlay {} MTU {}, panel {}, store {}, state {}, command timeout {} s)", socket,
                    node.name(), node.address().map(a -> a.getHostAddress() + " VXLAN port " + node.vxlanPort()).orElse("none"),
                    node.underlayMtu(), panelPath, storeSpec, stateDir, commandTimeout.toSeconds());
            server.serve();
            stopped.await();
        }
    }
}
