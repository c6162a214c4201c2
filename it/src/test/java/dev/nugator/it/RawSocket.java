package dev.nugator.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A hand-written client of nugatord's socket for sending what the shim never would: garbage,
 * truncated frames, oversized frames, unknown protocol versions. It encodes the frame layout
 * itself (not through the wire module) so that a bug in the shared codec cannot hide here.
 *
 * <pre>
 *  magic "NUGA" (u32) | protocol (u16) | kind (u16) | body length (u32) | body
 *  request body: u32 count, count x (u32 len + key, u32 len + value), u32 len + stdin
 *  reply body:   i32 exit code, u32 len + stdout
 * </pre>
 */
final class RawSocket implements AutoCloseable {
    static final int MAGIC = 0x4E554741;
    static final short KIND_REQUEST = 1;
    static final short KIND_REPLY = 2;

    /** A decoded reply frame. */
    record Reply(int protocol, int kind, int exitCode, String stdout) {}

    private final SocketChannel channel;

    private RawSocket(SocketChannel channel) {
        this.channel = channel;
    }

    static RawSocket connect(Path socket) throws IOException {
        var channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return new RawSocket(channel);
    }

    /**
     * Connects without waiting: empty when nugatord's listen backlog is full, which a caller that
     * opens connections as fast as it can takes as "no more for now". The socket blocks afterwards.
     */
    static Optional<RawSocket> tryConnect(Path socket) throws IOException {
        var channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.configureBlocking(false);
            if (!channel.connect(UnixDomainSocketAddress.of(socket))) {
                channel.close(); // UNIX sockets connect at once or not at all; never half-way
                return Optional.empty();
            }
            channel.configureBlocking(true);
            return Optional.of(new RawSocket(channel));
        } catch (java.net.SocketException backlogFull) {
            channel.close();
            return Optional.empty();
        }
    }

    RawSocket write(byte[] bytes) throws IOException {
        var buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        return this;
    }

    /** Half-closes: the daemon sees EOF after what was written. */
    RawSocket finish() throws IOException {
        channel.shutdownOutput();
        return this;
    }

    /**
     * Reads one reply frame, or empty when the daemon closed the connection without one; an
     * AssertionError when nothing at all happens within {@code limit} (a blocked daemon).
     */
    Optional<Reply> readReply(Duration limit) throws IOException {
        var future = CompletableFuture.supplyAsync(this::readFrame, Thread::startVirtualThread);
        try {
            return future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            close();
            throw new AssertionError("nugatord neither replied nor closed the connection within " + limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    private Optional<Reply> readFrame() {
        try {
            var in = new DataInputStream(Channels.newInputStream(channel));
            int magic;
            try {
                magic = in.readInt();
            } catch (EOFException closed) {
                return Optional.empty();
            }
            if (magic != MAGIC) {
                throw new IllegalStateException("reply with bad magic 0x%08x".formatted(magic));
            }
            int protocol = in.readUnsignedShort();
            int kind = in.readUnsignedShort();
            int length = in.readInt();
            byte[] body = in.readNBytes(length);
            var bodyIn = new DataInputStream(new java.io.ByteArrayInputStream(body));
            int exitCode = bodyIn.readInt();
            byte[] stdout = bodyIn.readNBytes(bodyIn.readInt());
            return Optional.of(new Reply(protocol, kind, exitCode, new String(stdout, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            // a reset connection is "closed without a reply" for our purposes
            return Optional.empty();
        }
    }

    static byte[] header(int protocol, short kind, int bodyLength) {
        return ByteBuffer.allocate(12).putInt(MAGIC).putShort((short) protocol).putShort(kind).putInt(bodyLength).array();
    }

    /** A complete, well-formed request frame. */
    static byte[] request(int protocol, Map<String, String> env, String stdin) {
        var body = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(body)) {
            out.writeInt(env.size());
            for (var entry : env.entrySet()) {
                writeBytes(out, entry.getKey().getBytes(StandardCharsets.UTF_8));
                writeBytes(out, entry.getValue().getBytes(StandardCharsets.UTF_8));
            }
            writeBytes(out, stdin.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        byte[] bodyBytes = body.toByteArray();
        var frame = ByteBuffer.allocate(12 + bodyBytes.length);
        frame.put(header(protocol, KIND_REQUEST, bodyBytes.length)).put(bodyBytes);
        return frame.array();
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
