package dev.nugator.wire;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
        var fields = new ArrayList<byte[]>(2 * env.size());
        int size = 4 + 4 + stdin.length;
        for (var entry : env.entrySet()) {
            byte[] key = entry.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = entry.getValue().getBytes(StandardCharsets.UTF_8);
            fields.add(key);
            fields.add(value);
            size += 4 + key.length + 4 + value.length;
        }
        var body = ByteBuffer.allocate(size).putInt(env.size());
        for (byte[] field : fields) {
            putBytes(body, field);
        }
        putBytes(body, stdin);
        return new Frame(Frame.PROTOCOL, Frame.KIND_REQUEST, body.array());
    }

    public static ShimRequest fromFrame(Frame frame) throws WireException {
        if (frame.kind() != Frame.KIND_REQUEST) {
            throw new WireException("expected a request frame, got kind " + frame.kind());
        }
        var in = ByteBuffer.wrap(frame.body());
        try {
            int count = in.getInt();
            if (count < 0 || count > MAX_ENV_ENTRIES) {
                throw new WireException("request with %d environment entries refused".formatted(count));
            }
            var env = new LinkedHashMap<String, String>();
            for (int i = 0; i < count; i++) {
                env.put(getString(in), getString(in));
            }
            byte[] stdin = getBytes(in);
            if (in.hasRemaining()) {
                throw new WireException("request has %d trailing bytes".formatted(in.remaining()));
            }
            return new ShimRequest(env, stdin);
        } catch (BufferUnderflowException e) {
            throw new WireException("request body truncated");
        }
    }

    /** A bytes field: u32 length, then the bytes. (ByteBuffer, not a data stream: the shim's start-up builds no VarHandles for it.) */
    static void putBytes(ByteBuffer out, byte[] bytes) {
        out.putInt(bytes.length).put(bytes);
    }

    /** Reads a bytes field; a length past the body's end is refused before anything is allocated for it. */
    static byte[] getBytes(ByteBuffer in) throws WireException {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new WireException("field of %d bytes does not fit the frame".formatted(length));
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private static String getString(ByteBuffer in) throws WireException {
        return new String(getBytes(in), StandardCharsets.UTF_8);
    }
}
