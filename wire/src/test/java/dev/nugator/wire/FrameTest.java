package dev.nugator.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameTest {

    private static byte[] encode(Frame frame) throws IOException {
        var out = new ByteArrayOutputStream();
        frame.writeTo(out);
        return out.toByteArray();
    }

    @Test
    void requestRoundTripsEnvAndStdin() throws IOException {
        var env = new LinkedHashMap<String, String>();
        env.put("CNI_COMMAND", "ADD");
        env.put("CNI_ARGS", "K8S_POD_NAME=é;IgnoreUnknown=1");
        byte[] stdin = "{\"cniVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);

        byte[] bytes = encode(new ShimRequest(env, stdin).toFrame());
        var decoded = ShimRequest.fromFrame(Frame.readFrom(new ByteArrayInputStream(bytes)));

        assertThat(decoded.env()).containsExactlyEntriesOf(env);
        assertThat(decoded.stdin()).isEqualTo(stdin);
    }

    @Test
    void headerLayoutIsBigEndianMagicProtocolKindLength() throws IOException {
        byte[] bytes = encode(new ShimReply(1, new byte[] {42}).toFrame());
        var header = ByteBuffer.wrap(bytes);
        assertThat(header.getInt()).isEqualTo(0x4E554741);
        assertThat(header.getShort()).isEqualTo((short) 1);
        assertThat(header.getShort()).isEqualTo(Frame.KIND_REPLY);
        assertThat(header.getInt()).isEqualTo(bytes.length - Frame.HEADER_BYTES);
        assertThat(ShimReply.fromFrame(Frame.readFrom(new ByteArrayInputStream(bytes))))
                .satisfies(r -> assertThat(r.exitCode()).isEqualTo(1))
                .satisfies(r -> assertThat(r.stdout()).containsExactly(42));
    }

    @Test
    void truncatedFrameIsRefused() throws IOException {
        byte[] bytes = encode(new ShimRequest(Map.of("CNI_COMMAND", "DEL"), new byte[100]).toFrame());
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 10);
        assertThatThrownBy(() -> Frame.readFrom(new ByteArrayInputStream(cut)))
                .isInstanceOf(WireException.class).hasMessageContaining("truncated");
    }

    @Test
    void oversizedFrameIsRefusedBeforeReadingIt() {
        byte[] header = ByteBuffer.allocate(Frame.HEADER_BYTES).putInt(Frame.MAGIC).putShort((short) 1)
                .putShort(Frame.KIND_REQUEST).putInt(Frame.MAX_BODY + 1).array();
        assertThatThrownBy(() -> Frame.readFrom(new ByteArrayInputStream(header)))
                .isInstanceOf(WireException.class).hasMessageContaining("refused");
    }

    @Test
    void garbageIsNotAFrame() {
        byte[] garbage = "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> Frame.readFrom(new ByteArrayInputStream(garbage)))
                .isInstanceOf(WireException.class).hasMessageContaining("not a nugator frame");
    }

    @Test
    void bodyFieldLongerThanTheFrameIsRefused() {
        byte[] body = ByteBuffer.allocate(8).putInt(0).putInt(1000).array();
        var frame = new Frame(Frame.PROTOCOL, Frame.KIND_REQUEST, body);
        assertThatThrownBy(() -> ShimRequest.fromFrame(frame)).isInstanceOf(WireException.class)
                .hasMessageContaining("does not fit");
    }
}
