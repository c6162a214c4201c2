package dev.nugator.wire;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/** nugatorctl's side of the socket: one request (a control request, or a CNI one), one reply (exit code and JSON). */
public final class ControlClient {
    private final Path socket;

    public ControlClient(Path socket) {
        this.socket = socket;
    }

    public Path socket() {
        return socket;
    }

    /**
     * Sends the request and waits for the reply at most {@code timeout}; then the channel is closed
     * under it. A request too large for one frame is refused here ({@link WireException.TooLarge}),
     * before connecting, rather than cut off by nugatord half-way through the writing.
     */
    public ShimReply call(byte[] json, Duration timeout) throws IOException {
        if (json.length > Frame.MAX_BODY) {
            throw new WireException.TooLarge("the request", json.length);
        }
        return exchange(new Frame(Frame.PROTOCOL, Frame.KIND_CONTROL, json), timeout);
    }

    /** A CNI request as the shim sends it (the DaemonSet's probe asks for STATUS so), under the same deadline. */
    public ShimReply cni(ShimRequest request, Duration timeout) throws IOException {
        return exchange(request.toFrame(), timeout);
    }

    private ShimReply exchange(Frame request, Duration timeout) throws IOException {
        try (var channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            var watchdog = Thread.ofVirtual().start(() -> closeAfter(channel, timeout));
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
                request.writeTo(Channels.newOutputStream(channel));
                return ShimReply.fromFrame(Frame.readFrom(Channels.newInputStream(channel)));
            } catch (AsynchronousCloseException e) {
                throw new IOException("nugatord at " + socket + " did not answer within " + timeout.toSeconds() + " s");
            } finally {
                watchdog.interrupt();
            }
        }
    }

    private static void closeAfter(SocketChannel channel, Duration timeout) {
        try {
            Thread.sleep(timeout);
            channel.close();
        } catch (InterruptedException | IOException answered) {
            // the reply came first, or the channel is already closed
        }
    }
}
