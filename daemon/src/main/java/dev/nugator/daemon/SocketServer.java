package dev.nugator.daemon;

import dev.nugator.cni.CniReply;
import dev.nugator.wire.Frame;
import dev.nugator.wire.ShimRequest;
import dev.nugator.wire.WireException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root-only UNIX socket the shims connect to. One virtual thread per connection, under three
 * limits so that no client can crash, starve or stall the daemon: connections are capped (in
 * total and per user, {@link ConnectionRegistry}), each phase of a request has a deadline, and
 * request bodies are read as they arrive under one {@link ByteBudget}. What is refused gets an
 * error reply: code 11, try again later, when nugatord is overloaded; the CNI decoding error for
 * bytes that are not a request.
 */
final class SocketServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SocketServer.class);
    /** The shim writes its whole request as soon as it connects: a caller silent for this long is not a shim. */
    static final Duration HEADER_DEADLINE = Duration.ofSeconds(2);
    /** For the rest of the request once its header came, and for writing the reply; the command has its own. */
    static final Duration BODY_DEADLINE = Duration.ofSeconds(10);
    static final int MAX_CONNECTIONS = 1024;
    static final int MAX_CONNECTIONS_PER_USER = 256;
    /** Of nugatord's 256 MiB heap; a body is decoded and parsed after it is read, which takes more again. */
    static final long BODY_BUDGET = 32L * 1024 * 1024;
    static final long BUDGET_KEPT_FOR_SMALL = 8L * 1024 * 1024;
    /** After a failed accept (out of file descriptors): a moment for connections to end, not a busy loop. */
    private static final long ACCEPT_RETRY_MILLIS = 100;

    private final Path path;
    private final ServerSocketChannel channel;
    private final Handlers handlers;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledThreadPoolExecutor timers = timers();
    private final ConnectionRegistry connections = new ConnectionRegistry(MAX_CONNECTIONS, MAX_CONNECTIONS_PER_USER);
    private final ByteBudget budget = new ByteBudget(BODY_BUDGET, BUDGET_KEPT_FOR_SMALL);
    private final WarningThrottle shedWarnings = new WarningThrottle(log, Duration.ofSeconds(10));
    private final WarningThrottle malformedWarnings = new WarningThrottle(log, Duration.ofSeconds(10));
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

    /** Every connection re-arms its deadline a few times: cancelled ones must leave the queue, not pile up. */
    private static ScheduledThreadPoolExecutor timers() {
        var timers = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("nugatord-timer").factory());
        timers.setRemoveOnCancelPolicy(true);
        return timers;
    }

    static SocketServer bind(Path path, Handlers handlers) throws IOException {
        SocketFile.clearStale(path);
        prepareDirectory(path.toAbsolutePath().getParent());
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

    /** Accepts connections until {@link #close(Duration)}; never waits for a slot, so the backlog never fills. */
    void serve() {
        Thread.ofPlatform().name("nugatord-accept").start(() -> {
            while (!closing) {
                try {
                    admit(channel.accept());
                } catch (ClosedChannelException stopped) {
                    return;
                } catch (IOException e) {
                    log.warn("accept failed: {}", e.getMessage());
                    if (!pause()) {
                        return;
                    }
                }
            }
        });
    }

    private void admit(SocketChannel client) {
        var connection = Connection.accepted(client, timers);
        if (!connections.admit(connection)) {
            shedWarnings.warn("refused a connection of {}: all {} slots run commands", connection.peer(), MAX_CONNECTIONS);
            Replies.tryWrite(connection, Replies.overloaded("every connection it serves is running a command"));
            connection.close();
            return;
        }
        connection.expireIn(HEADER_DEADLINE);
        try {
            workers.execute(() -> handle(connection));
        } catch (RejectedExecutionException stopping) {
            // accepted in the instant the server began to stop: the client sees the connection close
            connection.close();
            connections.remove(connection);
        }
    }

    private void handle(Connection connection) {
        try (connection; var reader = new FrameReader(connection.input(), budget)) {
            CniReply reply = answer(connection, reader);
            connection.expireIn(BODY_DEADLINE);
            Replies.write(connection, reply);
        } catch (WireException.Empty e) {
            log.debug("connection closed without a request (a readiness probe?)");
        } catch (IOException e) {
            log.debug("connection dropped: {}", e.toString());
        } finally {
            connections.remove(connection);
        }
    }

    /** Reads the request under its deadlines and runs it; what cannot be read is answered with an error. */
    private CniReply answer(Connection connection, FrameReader reader) throws IOException {
        Frame frame;
        try {
            var header = reader.readHeader();
            connection.expireIn(BODY_DEADLINE);
            frame = reader.readBody(header);
        } catch (ByteBudget.Exhausted e) {
            shedWarnings.warn("request of {} shed: {}", connection.peer(), e.getMessage());
            return Replies.overloaded(e.getMessage());
        } catch (WireException e) {
            if (e instanceof WireException.Empty) {
                throw e;
            }
            malformedWarnings.warn("malformed request refused: {}", e.getMessage());
            return Replies.malformed(e);
        }
        if (!connections.start(connection)) {
            throw new ClosedChannelException(); // closed for a newcomer while its last bytes arrived
        }
        connection.expireNever();
        return run(frame);
    }

    private CniReply run(Frame frame) {
        if (frame.protocol() != Frame.PROTOCOL) {
            return Replies.protocolMismatch(frame.protocol());
        }
        if (frame.kind() == Frame.KIND_CONTROL) {
            return handlers.control(frame.body());
        }
        try {
            var request = ShimRequest.fromFrame(frame);
            return handlers.cni(request.env(), request.stdin());
        } catch (WireException e) {
            malformedWarnings.warn("malformed request refused: {}", e.getMessage());
            return Replies.malformed(e);
        }
    }

    /** False when interrupted: an interrupted accept would close the server socket, so the loop ends instead. */
    private static boolean pause() {
        try {
            Thread.sleep(ACCEPT_RETRY_MILLIS);
            return true;
        } catch (InterruptedException e) {
            return false;
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
                log.warn("{} connection(s) still open after {} s; stopping anyway", connections.size(), drain.toSeconds());
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
