package dev.nugator.daemon;

import dev.nugator.wire.Frame;
import dev.nugator.wire.WireException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads one frame with the checks of {@link Frame#readFrom}, but in two steps (so that the header
 * and the body can have different deadlines) and with a body that grows only as its bytes arrive,
 * each growth paid from the {@link ByteBudget}. Closing gives back what the body held: keep the
 * reader open as long as the frame is in use.
 */
final class FrameReader implements AutoCloseable {
    /** Bodies up to this size may use the part of the budget kept for small ones; a shim's request is a few KiB. */
    static final int SMALL_BODY = 64 * 1024;
    private static final int FIRST_CHUNK = 8 * 1024;
    /** The JDK reads a socket through a native buffer as large as the read: small reads keep that small. */
    private static final int MAX_READ = 64 * 1024;

    /** The fixed part of a frame: what follows and how long it says it is. */
    record Header(int protocol, short kind, int length) {}

    private final DataInputStream in;
    private final ByteBudget budget;
    private long held;

    FrameReader(InputStream in, ByteBudget budget) {
        this.in = new DataInputStream(in);
        this.budget = budget;
    }

    /** Reads and checks the header; {@link WireException.Empty} when the peer sent nothing at all. */
    Header readHeader() throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new WireException.Empty();
        }
        if (magic != Frame.MAGIC) {
            throw new WireException("not a nugator frame (magic 0x%08x)".formatted(magic));
        }
        try {
            var header = new Header(in.readUnsignedShort(), in.readShort(), in.readInt());
            if (header.length() < 0 || header.length() > Frame.MAX_BODY) {
                throw new WireException("frame of %d bytes refused (limit %d)".formatted(header.length(), Frame.MAX_BODY));
            }
            return header;
        } catch (EOFException e) {
            throw new WireException("frame truncated in its header");
        }
    }

    /** Reads the body the header announced; {@link ByteBudget.Exhausted} when it would not fit the budget. */
    Frame readBody(Header header) throws IOException {
        boolean large = header.length() > SMALL_BODY;
        byte[] body = new byte[0];
        int filled = 0;
        while (filled < header.length()) {
            if (filled == body.length) {
                body = grow(body, header.length(), large);
            }
            int n = in.read(body, filled, Math.min(MAX_READ, body.length - filled));
            if (n < 0) {
                throw new WireException("frame truncated: expected %d body bytes".formatted(header.length()));
            }
            filled += n;
        }
        return new Frame(header.protocol(), header.kind(), body);
    }

    /** Doubles the body (never past its length) once it is full, so a stalled sender holds at most twice what it sent. */
    private byte[] grow(byte[] body, int length, boolean large) throws ByteBudget.Exhausted {
        int size = (int) Math.min(length, Math.max(FIRST_CHUNK, 2L * body.length));
        budget.take(size, large);
        held += size;
        byte[] larger = Arrays.copyOf(body, size);
        budget.give(body.length);
        held -= body.length;
        return larger;
    }

    long held() {
        return held;
    }

    @Override
    public void close() {
        budget.give(held);
        held = 0;
    }
}
