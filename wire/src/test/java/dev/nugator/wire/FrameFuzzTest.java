package dev.nugator.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;

/**
 * The shim-daemon framing under any bytes a peer can send: a frame, request or reply comes out, or
 * a {@link WireException}; nothing else. What decodes encodes back to the same meaning. Inputs
 * that reached new coverage are replayed by every plain test run from {@code FrameFuzzTestInputs}.
 */
class FrameFuzzTest {

    @FuzzTest
    void anyBytesDecodeOrAreRefused(byte[] bytes) throws IOException {
        Frame frame;
        try {
            frame = Frame.readFrom(new ByteArrayInputStream(bytes));
        } catch (WireException refused) {
            return;
        }
        assertThat(encode(frame)).isEqualTo(Arrays.copyOf(bytes, Frame.HEADER_BYTES + frame.body().length));
        bodyDecodesOrIsRefused(frame);
    }

    @FuzzTest
    void whatIsWrittenReadsBackAndEveryCutIsRefused(FuzzedDataProvider data) throws IOException {
        var env = new LinkedHashMap<String, String>();
        int entries = data.consumeInt(0, 8);
        for (int i = 0; i < entries; i++) {
            env.put(data.consumeString(40), data.consumeString(200));
        }
        var reply = new ShimReply(data.consumeInt(), data.consumeBytes(300));
        var request = new ShimRequest(env, data.consumeRemainingAsBytes());

        byte[] requestBytes = encode(request.toFrame());
        var decodedRequest = ShimRequest.fromFrame(read(requestBytes));
        assertThat(decodedRequest.env()).containsExactlyEntriesOf(utf8(env));
        assertThat(decodedRequest.stdin()).isEqualTo(request.stdin());

        byte[] replyBytes = encode(reply.toFrame());
        var decodedReply = ShimReply.fromFrame(read(replyBytes));
        assertThat(decodedReply.exitCode()).isEqualTo(reply.exitCode());
        assertThat(decodedReply.stdout()).isEqualTo(reply.stdout());

        int cut = requestBytes.length == 0 ? 0 : Math.floorMod(reply.exitCode(), requestBytes.length);
        assertThatThrownBy(() -> read(Arrays.copyOf(requestBytes, cut))).isInstanceOf(WireException.class);
    }

    /** A decoded body, written again, decodes to the same request or reply. */
    private static void bodyDecodesOrIsRefused(Frame frame) throws IOException {
        try {
            if (frame.kind() == Frame.KIND_REQUEST) {
                var request = ShimRequest.fromFrame(frame);
                var again = ShimRequest.fromFrame(read(encode(request.toFrame())));
                assertThat(again.env()).containsExactlyEntriesOf(request.env());
                assertThat(again.stdin()).isEqualTo(request.stdin());
            } else {
                var reply = ShimReply.fromFrame(frame);
                var again = ShimReply.fromFrame(read(encode(reply.toFrame())));
                assertThat(again.exitCode()).isEqualTo(reply.exitCode());
                assertThat(again.stdout()).isEqualTo(reply.stdout());
            }
        } catch (WireException refused) {
            // a malformed body: the documented answer
        }
    }

    /** What a string is after a trip through UTF-8 (an unpaired surrogate becomes '?'). */
    private static LinkedHashMap<String, String> utf8(LinkedHashMap<String, String> env) {
        var result = new LinkedHashMap<String, String>();
        env.forEach((k, v) -> result.put(utf8(k), utf8(v)));
        return result;
    }

    private static String utf8(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    private static Frame read(byte[] bytes) throws IOException {
        return Frame.readFrom(new ByteArrayInputStream(bytes));
    }

    private static byte[] encode(Frame frame) throws IOException {
        var out = new ByteArrayOutputStream();
        frame.writeTo(out);
        return out.toByteArray();
    }
}
