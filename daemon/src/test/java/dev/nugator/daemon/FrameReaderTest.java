package dev.nugator.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nugator.wire.Frame;
import dev.nugator.wire.WireException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameReaderTest {
    private static final int MIB = 1024 * 1024;

    @Test
    void readsWhatFrameWrites() throws Exception {
        var frame = new Frame(Frame.PROTOCOL, Frame.KIND_REQUEST, "{\"a\":1}".getBytes());
        var budget = new ByteBudget(MIB, 0);

        try (var reader = new FrameReader(bytesOf(frame), budget)) {
            var read = reader.readBody(reader.readHeader());

            assertThat(read.protocol()).isEqualTo(frame.protocol());
            assertThat(read.kind()).isEqualTo(frame.kind());
            assertThat(read.body()).isEqualTo(frame.body());
        }
        assertThat(budget.used()).as("given back on close").isZero();
    }

    @Test
    void aDeclaredLengthCostsOnlyWhatArrives() throws Exception {
        var budget = new ByteBudget(64 * MIB, 0);
        byte[] sent = new byte[100_000];
        var in = new SequenceInputStream(new ByteArrayInputStream(header(4 * MIB)), new ByteArrayInputStream(sent));

        try (var reader = new FrameReader(in, budget)) {
            var header = reader.readHeader();
            assertThat(header.length()).isEqualTo(4 * MIB);

            assertThatThrownBy(() -> reader.readBody(header)).isInstanceOf(WireException.class).hasMessageContaining("truncated");
            assertThat(reader.held()).as("at most twice what was sent, far from 4 MiB").isBetween(100_000L, 200_000L);
            assertThat(budget.used()).isEqualTo(reader.held());
        }
        assertThat(budget.used()).isZero();
    }

    @Test
    void aBodyBeyondTheBudgetIsRefusedAsItArrives() throws Exception {
        var budget = new ByteBudget(MIB, 0);
        byte[] body = new byte[2 * MIB];
        Arrays.fill(body, (byte) 7);

        try (var reader = new FrameReader(bytesOf(new Frame(Frame.PROTOCOL, Frame.KIND_REQUEST, body)), budget)) {
            var header = reader.readHeader();

            assertThatThrownBy(() -> reader.readBody(header)).isInstanceOf(ByteBudget.Exhausted.class);
            assertThat(budget.used()).isLessThanOrEqualTo(MIB);
        }
        assertThat(budget.used()).isZero();
    }

    @Test
    void smallBodiesMayUseThePartKeptForThem() throws Exception {
        var budget = new ByteBudget(MIB, MIB);
        var small = new Frame(Frame.PROTOCOL, Frame.KIND_REQUEST, new byte[FrameReader.SMALL_BODY]);
        var large = new Frame(Frame.PROTOCOL, Frame.KIND_REQUEST, new byte[FrameReader.SMALL_BODY + 1]);

        try (var reader = new FrameReader(bytesOf(small), budget)) {
            assertThat(reader.readBody(reader.readHeader()).body()).hasSize(FrameReader.SMALL_BODY);
        }
        try (var reader = new FrameReader(bytesOf(large), budget)) {
            var header = reader.readHeader();
            assertThatThrownBy(() -> reader.readBody(header)).isInstanceOf(ByteBudget.Exhausted.class);
        }
    }

    @Test
    void headerChecksAreThoseOfTheWireFormat() {
        var budget = new ByteBudget(MIB, 0);
        assertThatThrownBy(() -> new FrameReader(InputStream.nullInputStream(), budget).readHeader())
                .isInstanceOf(WireException.Empty.class);
        assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream("GET / HTTP/1.1".getBytes()), budget).readHeader())
                .isInstanceOf(WireException.class).hasMessageContaining("magic");
        assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(Arrays.copyOf(header(1), 7)), budget).readHeader())
                .isInstanceOf(WireException.class).hasMessageContaining("truncated in its header");
        assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(header(Frame.MAX_BODY + 1)), budget).readHeader())
                .isInstanceOf(WireException.class).hasMessageContaining("refused");
        assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(header(-1)), budget).readHeader())
                .isInstanceOf(WireException.class).hasMessageContaining("refused");
    }

    private static byte[] header(int length) {
        return ByteBuffer.allocate(Frame.HEADER_BYTES).putInt(Frame.MAGIC).putShort(Frame.PROTOCOL)
                .putShort(Frame.KIND_REQUEST).putInt(length).array();
    }

    private static InputStream bytesOf(Frame frame) throws Exception {
        var out = new ByteArrayOutputStream();
        frame.writeTo(out);
        return new ByteArrayInputStream(out.toByteArray());
    }
}
