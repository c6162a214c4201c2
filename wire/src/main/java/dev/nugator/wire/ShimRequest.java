package dev.nugator.wire;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One CNI invocation as the runtime made it: the CNI_* environment and the bytes on stdin.
 *
 * <p>Body layout: {@code u32 count, count × (string key, string value), bytes stdin}, where a
 * string or bytes field is a u32 length followed by that many bytes (strings in UTF-8).
 */
public record ShimRequest(Map<String, String> env, byte[] stdin) {
    private static final int MAX_ENV_ENTRIES = 256;

    /**
     * How many bytes of stdin fit in one request frame beside this environment: the shim refuses a
     * larger network config itself instead of sending a frame nugatord would refuse.
     */
    public static int stdinRoom(Map<String, String> env) {
        long fixed = 4 + 4;
        for (var entry : env.entrySet()) {
            fixed += 8L + entry.getKey().getBytes(StandardCharsets.UTF_8).length + entry.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        return (int) Math.max(0, Frame.MAX_BODY - fixed);
    }

    public Frame toFrame() {
        var buffer = new ByteArrayOutputStream(256 + stdin.length);
        try (var out = new DataOutputStream(buffer)) {
            out.writeInt(env.size());
            for (var entry : env.entrySet()) {
                writeBytes(out, entry.getKey().getBytes(StandardCharsets.UTF_8));
                writeBytes(out, entry.getValue().getBytes(StandardCharsets.UTF_8));
            }
            writeBytes(out, stdin);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Frame(Frame.PROTOCOL, Frame.KIND_REQUEST, buffer.toByteArray());
    }

    public static ShimRequest fromFrame(Frame frame) throws WireException {
        if (frame.kind() != Frame.KIND_REQUEST) {
            throw new WireException("expected a request frame, got kind " + frame.kind());
        }
        try (var in = new DataInputStream(new ByteArrayInputStream(frame.body()))) {
            int count = in.readInt();
            if (count < 0 || count > MAX_ENV_ENTRIES) {
                throw new WireException("request with %d environment entries refused".formatted(count));
            }
            var env = new LinkedHashMap<String, String>();
            for (int i = 0; i < count; i++) {
                env.put(readString(in), readString(in));
            }
            byte[] stdin = readBytes(in);
            if (in.available() > 0) {
                throw new WireException("request has %d trailing bytes".formatted(in.available()));
            }
            return new ShimRequest(env, stdin);
        } catch (EOFException e) {
            throw new WireException("request body truncated");
        } catch (WireException e) {
            throw e;
        } catch (IOException e) {
            throw new WireException("request body unreadable: " + e.getMessage());
        }
    }

    static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new WireException("field of %d bytes does not fit the frame".formatted(length));
        }
        return in.readNBytes(length);
    }

    private static String readString(DataInputStream in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }
}
