package dev.nugator.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.cni.CniReply;
import dev.nugator.wire.Frame;
import dev.nugator.wire.ShimReply;
import dev.nugator.wire.ShimRequest;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The socket server's limits, in process with real sockets: idle callers beyond the connection cap
 * and large bodies beyond the byte budget cost a refusal or a displaced idle connection, never the
 * answer to a real request. Deadlines here only keep a broken server from hanging the build.
 */
class SocketServerLimitsTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path dir;
    private SocketServer server;
    private final List<SocketChannel> clients = new ArrayList<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void start() throws IOException {
        server = SocketServer.bind(dir.resolve("s.sock"), new SocketServer.Handlers() {
            @Override
            public CniReply cni(Map<String, String> env, byte[] stdin) {
                return new CniReply(0, stdin);
            }

            @Override
            public CniReply control(byte[] json) {
                return new CniReply(0, json);
            }
        });
        server.serve();
    }

    @AfterEach
    void stop() throws IOException {
        for (var client : clients) {
            client.close();
        }
        threads.shutdownNow();
        server.close(Duration.ZERO);
    }

    @Test
    void idleConnectionsBeyondTheCapDoNotShutOutARequest() throws Exception {
        int opened = openIdle(SocketServer.MAX_CONNECTIONS + 200);

        assertThat(call("{\"hello\":1}")).isEqualTo(new Answer(0, "{\"hello\":1}"));
        assertThat(opened).as("idle connections opened").isEqualTo(SocketServer.MAX_CONNECTIONS + 200);
    }

    @Test
    void bodiesBeyondTheBudgetAreShedWithTryAgainLaterAndSmallRequestsStillPass() throws Exception {
        int senders = 40; // each sends 1 MiB of a declared 4 MiB and stalls: 40 MiB against a 32 MiB budget
        var firstReply = new CompletableFuture<Answer>();
        for (int i = 0; i < senders; i++) {
            var client = connect();
            CompletableFuture.supplyAsync(() -> sendAndStall(client, 4 * MIB, MIB), threads)
                    .thenAccept(answer -> firstReply.complete(answer));
        }

        // the senders kept in budget get no reply while they stall: the first reply is a refusal
        Answer shed = firstReply.get(LIMIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(shed).isNotNull();
        assertThat(shed.exitCode()).isEqualTo(1);
        assertThat(shed.stdout()).contains("\"code\":11").contains("nugatord is overloaded");
        assertThat(call("{\"small\":true}")).as("while the large senders stall").isEqualTo(new Answer(0, "{\"small\":true}"));
    }

    /** Opens up to {@code wanted} connections that send nothing; fewer when the server stops taking them. */
    private int openIdle(int wanted) throws IOException {
        int opened = 0;
        while (opened < wanted && connectPatiently().isPresent()) {
            opened++;
        }
        return opened;
    }

    /**
     * Connects without ever blocking (a full backlog answers EAGAIN), retrying while the accept loop
     * may still be draining it; empty when it stays full, which is how a caller gets shut out.
     */
    private Optional<SocketChannel> connectPatiently() throws IOException {
        for (int attempt = 0; attempt < 100_000; attempt++) {
            var client = SocketChannel.open(StandardProtocolFamily.UNIX);
            clients.add(client);
            try {
                client.configureBlocking(false);
                client.connect(UnixDomainSocketAddress.of(dir.resolve("s.sock"))); // UNIX: connected, or EAGAIN
                client.configureBlocking(true);
                return Optional.of(client);
            } catch (java.net.SocketException backlogFull) {
                clients.remove(client);
                client.close();
                Thread.yield();
            }
        }
        return Optional.empty();
    }

    /** Writes a header declaring {@code declared} bytes and {@code sent} of them, then waits for a reply or the close. */
    private static Answer sendAndStall(SocketChannel client, int declared, int sent) {
        try {
            var header = ByteBuffer.allocate(Frame.HEADER_BYTES).putInt(Frame.MAGIC).putShort(Frame.PROTOCOL)
                    .putShort(Frame.KIND_REQUEST).putInt(declared).flip();
            writeFully(client, header);
            writeFully(client, ByteBuffer.allocate(sent));
        } catch (IOException shedWhileSending) {
            // the server replied and closed before taking it all: the reply is still there to read
        }
        return readAnswer(client);
    }

    private Answer call(String stdin) throws Exception {
        var client = connect();
        var frame = new ShimRequest(Map.of("CNI_COMMAND", "ADD"), stdin.getBytes(StandardCharsets.UTF_8)).toFrame();
        return CompletableFuture.supplyAsync(() -> {
            try {
                frame.writeTo(Channels.newOutputStream(client));
            } catch (IOException e) {
                return null;
            }
            return readAnswer(client);
        }, threads).get(LIMIT.toSeconds(), TimeUnit.SECONDS);
    }

    private SocketChannel connect() throws IOException {
        return connectPatiently().orElseThrow(() -> new AssertionError("the server's backlog stays full: no new caller gets in"));
    }

    private static void writeFully(SocketChannel client, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            client.write(bytes);
        }
    }

    /** The reply's exit code and stdout, or null when the server closed without one. */
    private static Answer readAnswer(SocketChannel client) {
        try {
            var reply = ShimReply.fromFrame(Frame.readFrom(Channels.newInputStream(client)));
            return new Answer(reply.exitCode(), new String(reply.stdout(), StandardCharsets.UTF_8));
        } catch (IOException closed) {
            return null;
        }
    }

    record Answer(int exitCode, String stdout) {}
}
