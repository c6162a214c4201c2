package dev.nugator.wire;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * nugatord's answer: the exit code the shim exits with and the bytes it prints on stdout.
 *
 * <p>Body layout: {@code i32 exitCode, bytes stdout} (bytes = u32 length + data).
 */
public record ShimReply(int exitCode, byte[] stdout) {
    /** The most stdout one reply can carry: a frame's limit less the exit code and the length before the bytes. */
    public static final int MAX_STDOUT = Frame.MAX_BODY - 8;

    public Frame toFrame() {
        var body = ByteBuffer.allocate(4 + 4 + stdout.length).putInt(exitCode);
        ShimRequest.putBytes(body, stdout);
        return new Frame(Frame.PROTOCOL, Frame.KIND_REPLY, body.array());
    }

    public static ShimReply fromFrame(Frame frame) throws WireException {
        if (frame.kind() != Frame.KIND_REPLY) {
            throw new WireException("expected a reply frame, got kind " + frame.kind());
        }
        var in = ByteBuffer.wrap(frame.body());
        try {
            int exitCode = in.getInt();
            return new ShimReply(exitCode, ShimRequest.getBytes(in));
        } catch (BufferUnderflowException e) {
            throw new WireException("reply body truncated");
        }
    }
}
