package dev.nugator.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The envelope around every message between the shim and nugatord.
 *
 * <pre>
 *  0               4       6       8              12
 *  +---------------+-------+-------+---------------+----------------------+
 *  | magic "NUGA"  | proto | kind  | body length   | body (length bytes)  |
 *  +---------------+-------+-------+---------------+----------------------+
 * </pre>
 *
 * All integers are big-endian. The header never changes between protocol versions, so either side
 * can always read the other's version and answer a mismatch with a clear error instead of a hang.
 */
public record Frame(int protocol, short kind, byte[] body) {
    public static final int MAGIC = 0x4E554741;
    /** The protocol this build speaks. Bump it on any incompatible change of a body layout. */
    public static final short PROTOCOL = 1;
    public static final short KIND_REQUEST = 1;
    public static final short KIND_REPLY = 2;
    /** A nugatorctl request: the body is one JSON object; the reply is a {@link ShimReply} holding JSON. */
    public static final short KIND_CONTROL = 3;
    /**
     * Larger frames are refused without reading them: no CNI config comes close, the shim refuses a
     * larger one itself, and long control answers are cut into pages that fit ({@link Pages}).
     */
    public static final int MAX_BODY = 4 * 1024 * 1024;
    public static final int HEADER_BYTES = 12;

    /** Writes the frame in one piece, so the peer never waits on a half-written header. */
    public void writeTo(OutputStream out) throws IOException {
        var frame = ByteBuffer.allocate(HEADER_BYTES + body.length)
                .putInt(MAGIC).putShort((short) protocol).putShort(kind).putInt(body.length).put(body);
        out.write(frame.array());
        out.flush();
    }

    /** Reads one frame, rejecting bad magic, negative or oversized lengths and early EOF. */
    public static Frame readFrom(InputStream in) throws IOException {
        // Plain reads and a ByteBuffer, not a data stream: the shim's start-up builds no VarHandles for it.
        byte[] first = in.readNBytes(4);
        if (first.length < 4) {
            throw new WireException.Empty();
        }
        int magic = ByteBuffer.wrap(first).getInt();
        if (magic != MAGIC) {
            throw new WireException("not a nugator frame (magic 0x%08x)".formatted(magic));
        }
        byte[] rest = in.readNBytes(HEADER_BYTES - 4);
        if (rest.length < HEADER_BYTES - 4) {
            throw new WireException("frame truncated in its header");
        }
        var header = ByteBuffer.wrap(rest);
        int protocol = Short.toUnsignedInt(header.getShort());
        short kind = header.getShort();
        int length = header.getInt();
        if (length < 0 || length > MAX_BODY) {
            throw new WireException("frame of %d bytes refused (limit %d)".formatted(length, MAX_BODY));
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new WireException("frame truncated: expected %d body bytes".formatted(length));
        }
        return new Frame(protocol, kind, body);
    }
}
