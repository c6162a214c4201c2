package dev.nugator.wire;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * nugatord's answer: the exit code the shim exits with and the bytes it prints on stdout.
 *
 * <p>Body layout: {@code i32 exitCode, bytes stdout} (bytes = u32 length + data).
 */
public record ShimReply(int exitCode, byte[] stdout) {
    /** The most stdout one reply can carry: a frame's limit less the exit code and the length before the bytes. */
    public static final int MAX_STDOUT = Frame.MAX_BODY - 8;

    public Frame toFrame() {
        var buffer = new ByteArrayOutputStream(16 + stdout.length);
        try (var out = new DataOutputStream(buffer)) {
            out.writeInt(exitCode);
            ShimRequest.writeBytes(out, stdout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Frame(Frame.PROTOCOL, Frame.KIND_REPLY, buffer.toByteArray());
    }

    public static ShimReply fromFrame(Frame frame) throws WireException {
        if (frame.kind() != Frame.KIND_REPLY) {
            throw new WireException("expected a reply frame, got kind " + frame.kind());
        }
        try (var in = new DataInputStream(new ByteArrayInputStream(frame.body()))) {
            int exitCode = in.readInt();
            return new ShimReply(exitCode, ShimRequest.readBytes(in));
        } catch (EOFException e) {
            throw new WireException("reply body truncated");
        } catch (WireException e) {
            throw e;
        } catch (IOException e) {
            throw new WireException("reply body unreadable: " + e.getMessage());
        }
    }
}
