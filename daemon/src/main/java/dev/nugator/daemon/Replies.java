package dev.nugator.daemon;

import dev.nugator.cni.CniError;
import dev.nugator.cni.CniReply;
import dev.nugator.cni.CniVersion;
import dev.nugator.wire.Frame;
import dev.nugator.wire.ShimReply;
import dev.nugator.wire.WireException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The answers nugatord gives on its socket when it does not run the request, and how they are
 * written. These errors come before any config is read, so they are in the latest CNI version.
 */
final class Replies {
    private Replies() {}

    /** Code 11: the runtime retries later, which is what an overloaded daemon needs. */
    static CniReply overloaded(String why) {
        return error(new CniError(CniError.TRY_AGAIN_LATER, "nugatord is overloaded: " + why,
                "try again later; nugatord refuses requests rather than run out of memory or connections"));
    }

    static CniReply malformed(WireException e) {
        return error(new CniError(CniError.DECODING_FAILURE, "nugatord could not read the request: " + e.getMessage()));
    }

    static CniReply protocolMismatch(int protocol) {
        return error(new CniError(CniError.PROTOCOL_MISMATCH,
                "the nugator shim speaks protocol " + protocol + " but nugatord speaks " + Frame.PROTOCOL,
                "install the shim and the daemon from the same release"));
    }

    private static CniReply error(CniError error) {
        return CniReply.error(CniVersion.LATEST.text(), error);
    }

    /** Writes the reply; the connection's deadline bounds a client that does not read. */
    static void write(Connection connection, CniReply reply) throws IOException {
        frame(reply).writeTo(connection.output());
    }

    /**
     * Writes what the socket takes at once and never waits: for a client refused on the accept
     * thread, which must not block on any one client. A fresh socket's buffer takes a whole reply.
     */
    static void tryWrite(Connection connection, CniReply reply) {
        try {
            var bytes = new ByteArrayOutputStream();
            frame(reply).writeTo(bytes);
            connection.channel().configureBlocking(false);
            connection.channel().write(ByteBuffer.wrap(bytes.toByteArray()));
        } catch (IOException e) {
            // the client went away already; it would have had nothing more from us
        }
    }

    private static Frame frame(CniReply reply) {
        return new ShimReply(reply.exitCode(), reply.stdout()).toFrame();
    }
}
