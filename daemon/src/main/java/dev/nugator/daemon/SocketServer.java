package dev.nugator.daemon;

import dev.nugator.cni.CniError;
import dev.nugator.cni.CniReply;
import dev.nugator.cni.CniVersion;
import dev.nugator.wire.Frame;
import dev.nugator.wire.ShimReply;
import dev.nugator.wire.ShimRequest;
import dev.nugator.wire.WireException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root-only UNIX socket the shims connect to. One virtual thread per connection; a request
 * must arrive whole within {@link #READ_DEADLINE}, and a bad one gets an error reply, so no client
 * can crash or stall the daemon.
 */
final class SocketServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SocketServer.class);
    static final Duration READ_DEADLINE = Duration.ofSeconds(10);
    private static final int MAX_CONNECTIONS = 1024;

    private final Path path;
    private final ServerSocketChannel channel;
    private final Handlers handlers;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("nugatord-timer").factory());
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    private volatile boolean closing;

    /** What the daemon does with the two kinds of request on its socket. */
    interface Handlers {
        CniReply cni(Map<String, String> env, byte[] stdin);

        CniReply control(byte[] json);
    }

    private SocketServer(Path path, ServerSocketChannel channel, Handlers handlers) {
        this.path = path;
        this.channel = channel;
        this.handlers = handlers;
    }

    static SocketServer bind(Path path, Handlers handlers) throws IOException {
        prepareDirectory(path.toAbsolutePath().getParent());
        removeStaleSocket(path);
        var channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(path), 128);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        return new SocketServer(path, channel, handlers);
    }

    /** A directory we create is root-only, which also covers the moment before the socket's chmod. */
    private static void prepareDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    private static void removeStaleSocket(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            throw new IOException("another nugatord already listens on " + path);
        } catch (IOException refused) {
            if (refused.getMessage() != null && refused.getMessage().startsWith("another nugatord")) {
                throw refused;
            }
            Files.delete(path);
        }
    }

    /** Accepts connections until {@link #close(Duration)}. */
    void serve() {
        Thread.ofPlatform().name("nugatord-accept").start(() -> {
            while (!closing) {
                try {
                    slots.acquire();
                    SocketChannel client = channel.accept();
                    try {
                        workers.execute(() -> {
                            try {
                                handle(client);
                            } finally {
                                slots.release();
                            }
                        });
                    } catch (java.util.concurrent.RejectedExecutionException stopping) {
                        // accepted in the instant the server began to stop: the client sees the connection close
                        client.close();
                        slots.release();
                        return;
                    }
                } catch (ClosedChannelException stopped) {
                    return;
                } catch (IOException e) {
                    log.warn("accept failed: {}", e.getMessage());
                    slots.release();
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private void handle(SocketChannel client) {
        try (client) {
            var out = Channels.newOutputStream(client);
            Frame frame;
            ShimRequest request = null;
            var watchdog = timers.schedule(() -> closeQuietly(client), READ_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            try {
                frame = Frame.readFrom(Channels.newInputStream(client));
                if (frame.protocol() != Frame.PROTOCOL) {
                    reply(out, CniReply.error(CniVersion.LATEST.text(), new CniError(CniError.PROTOCOL_MISMATCH,
                            "the nugator shim speaks protocol " + frame.protocol() + " but nugatord speaks " + Frame.PROTOCOL,
                            "install the shim and the daemon from the same release")));
                    return;
                }
                if (frame.kind() != Frame.KIND_CONTROL) {
                    request = ShimRequest.fromFrame(frame);
                }
            } catch (WireException.Empty e) {
                log.debug("connection closed without a request (a readiness probe?)");
                return;
            } catch (WireException e) {
                log.warn("malformed request refused: {}", e.getMessage());
                reply(out, CniReply.error(CniVersion.LATEST.text(), new CniError(CniError.DECODING_FAILURE,
                        "nugatord could not read the request: " + e.getMessage())));
                return;
            } finally {
                watchdog.cancel(false);
            }
            reply(out, request == null ? handlers.control(frame.body()) : handlers.cni(request.env(), request.stdin()));
        } catch (IOException e) {
            log.debug("connection dropped: {}", e.toString());
        }
    }

    private static void reply(java.io.OutputStream out, CniReply reply) throws IOException {
        new ShimReply(reply.exitCode(), reply.stdout()).toFrame().writeTo(out);
    }

    private static void closeQuietly(SocketChannel client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Stops accepting, lets requests in flight finish within {@code drain}, removes the socket file. */
    void close(Duration drain) {
        closing = true;
        try {
            channel.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("closing {}: {}", path, e.getMessage());
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} request(s) still running after {} s; stopping anyway", "some", drain.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
    }

    @Override
    public void close() {
        if (!closing) {
            close(Duration.ZERO);
        }
    }
}
