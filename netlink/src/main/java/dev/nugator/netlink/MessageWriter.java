package dev.nugator.netlink;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes one netlink request into a buffer: the header, a fixed family header, then attributes,
 * each padded with zeros to 4 bytes. Nested attributes are opened with {@link #beginNested} and
 * closed with {@link #endNested}, which fills in the length once the contents are known; the
 * length counts the padding of the last inner attribute, as iproute2 and the kernel do.
 */
final class MessageWriter {
    private static final java.lang.foreign.ValueLayout.OfShort BE16 =
            JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MemorySegment buffer;
    private int end;

    MessageWriter(MemorySegment buffer) {
        this.buffer = buffer;
    }

    /** A writer over a fresh heap buffer; for tests and anything that never goes to the kernel. */
    static MessageWriter onHeap(int capacity) {
        return new MessageWriter(MemorySegment.ofArray(new byte[capacity]));
    }

    MessageWriter start(int type, int flags, int seq) {
        end = 0;
        new NlMsgHdr(buffer, reserve(NlMsgHdr.SIZE)).type(type).flags(flags).seq(seq);
        return this;
    }

    IfInfoMsg ifInfoMsg() {
        return new IfInfoMsg(buffer, reserve(IfInfoMsg.SIZE));
    }

    IfAddrMsg ifAddrMsg() {
        return new IfAddrMsg(buffer, reserve(IfAddrMsg.SIZE));
    }

    TcMsg tcMsg() {
        return new TcMsg(buffer, reserve(TcMsg.SIZE));
    }

    /** An attribute whose value is a C struct: returns its zeroed value, for a flyweight to fill. */
    MemorySegment struct(int type, int length) {
        return buffer.asSlice(attribute(type, length), length);
    }

    MessageWriter u32(int type, int value) {
        buffer.set(JAVA_INT_UNALIGNED, attribute(type, 4), value);
        return this;
    }

    MessageWriter u8(int type, int value) {
        buffer.set(JAVA_BYTE, attribute(type, 1), (byte) value);
        return this;
    }

    MessageWriter u16BigEndian(int type, int value) {
        buffer.set(BE16, attribute(type, 2), (short) value);
        return this;
    }

    MessageWriter bytes(int type, byte[] value) {
        MemorySegment.copy(value, 0, buffer, JAVA_BYTE, attribute(type, value.length), value.length);
        return this;
    }

    /** A string with its terminating NUL, as the kernel's own messages carry them. */
    MessageWriter string(int type, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(utf8, 0, buffer, JAVA_BYTE, attribute(type, utf8.length + 1), utf8.length);
        return this;
    }

    /** Opens a nested attribute; returns the token for {@link #endNested}. */
    int beginNested(int type) {
        return (int) attribute(type, 0) - RtAttr.SIZE;
    }

    void endNested(int start) {
        new RtAttr(buffer, start).length(end - start);
    }

    /** Sets the total length and returns the finished message. */
    MemorySegment finish() {
        new NlMsgHdr(buffer, 0).length(end);
        return buffer.asSlice(0, end);
    }

    /** Writes an attribute header for a value of {@code length} bytes; returns where the value goes. */
    private long attribute(int type, int length) {
        long at = reserve(RtAttr.SIZE + length);
        new RtAttr(buffer, at).length(RtAttr.SIZE + length).type(type);
        return at + RtAttr.SIZE;
    }

    /** Claims {@code length} bytes plus padding, zeroed because buffers are reused. */
    private long reserve(int length) {
        int at = end;
        int padded = NlMsgHdr.align(length);
        if (at + padded > buffer.byteSize()) {
            throw new IllegalStateException("netlink request larger than " + buffer.byteSize() + " bytes");
        }
        buffer.asSlice(at, padded).fill((byte) 0);
        end = at + padded;
        return at;
    }
}
