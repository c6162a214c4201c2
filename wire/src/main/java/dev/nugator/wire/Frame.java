package dev.nugator.wire;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

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
    /** Larger frames are refused without reading them: no CNI config comes close. */
    public static final int MAX_BODY = 4 * 1024 * 1024;
    public static final int HEADER_BYTES = 12;

    public void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeShort(protocol);
        out.writeShort(kind);
        out.writeInt(body.length);
        out.write(body);
        out.flush();
    }

    /** Reads one frame, rejecting bad magic, negative or oversized lengths and early EOF. */
    public static Frame readFrom(DataInputStream in) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new WireException("connection closed before a request arrived");
        }
        if (magic != MAGIC) {
            throw new WireException("not a nugator frame (magic 0x%08x)".formatted(magic));
        }
        int protocol = in.readUnsignedShort();
        short kind = in.readShort();
        int length = in.readInt();
        if (length < 0 || length > MAX_BODY) {
            throw new WireException("frame of %d bytes refused (limit %d)".formatted(length, MAX_BODY));
        }
        byte[] body = new byte[length];
        try {
            in.readFully(body);
        } catch (EOFException e) {
            throw new WireException("frame truncated: expected %d body bytes".formatted(length));
        }
        return new Frame(protocol, kind, body);
    }
}
