package dev.nugator.netlink;

import static dev.nugator.netlink.Bytes.hex;
import static dev.nugator.netlink.Bytes.normalized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MessageWriterTest {
    private final MessageWriter writer = MessageWriter.onHeap(128);

    @Test
    void everyAttributeIsPaddedToFourBytesButItsLengthIsNot() {
        writer.start(0x10, 0x1, 1);
        writer.u8(1, 0xab).string(2, "abcd").u16BigEndian(3, 0x12b5).string(4, "abc");

        assertThat(hex(writer.finish())).isEqualTo(normalized("""
                34000000 1000 0100 01000000 00000000
                0500 0100 ab 000000
                0900 0200 61626364 00 000000
                0600 0300 12b5 0000
                0800 0400 61626300
                """));
    }

    @Test
    void aNestCountsThePaddingOfItsLastAttribute() {
        writer.start(0x10, 0, 1);
        int outer = writer.beginNested(18);
        int inner = writer.beginNested(2);
        writer.u8(7, 1);
        writer.endNested(inner);
        writer.endNested(outer);

        assertThat(hex(writer.finish())).isEqualTo(normalized("""
                20000000 1000 0000 01000000 00000000
                1000 1200
                  0c00 0200
                    0500 0700 01 000000
                """));
    }

    @Test
    void aReusedBufferPadsWithZerosNotWithTheLastMessage() {
        writer.start(1, 0, 1).bytes(1, new byte[] {-1, -1, -1, -1, -1, -1, -1, -1}).finish();

        writer.start(1, 0, 2).u8(1, 0x11);

        assertThat(hex(writer.finish())).isEqualTo(normalized("18000000 0100 0000 02000000 00000000 0500 0100 11000000"));
    }

    @Test
    void aRequestLargerThanTheBufferIsRefused() {
        writer.start(1, 0, 1);

        assertThatThrownBy(() -> writer.bytes(1, new byte[200])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void attributesReadBackIncludingBigEndianAndNested() {
        writer.start(0x10, 0, 1);
        writer.string(3, "in1").u32(4, 1500);
        int linkInfo = writer.beginNested(18);
        writer.u16BigEndian(15, 4789);
        writer.endNested(linkInfo);
        var message = writer.finish();

        Attributes attributes = Attributes.parse(message, NlMsgHdr.SIZE, message.byteSize());
        assertThat(attributes.string(3)).isEqualTo("in1");
        assertThat(attributes.u32(4, -1)).isEqualTo(1500);
        assertThat(attributes.nested(18).u16BigEndian(15, -1)).isEqualTo(4789);
        assertThat(attributes.has(5)).isFalse();
        assertThat(attributes.nested(5).has(1)).isFalse();
    }

    @Test
    void aMalformedAttributeEndsTheWalkInsteadOfOverrunning() {
        var segment = Bytes.segment("0800 0300 61626300 ff00 0400 00000000");

        Attributes attributes = Attributes.parse(segment, 0, segment.byteSize());

        assertThat(attributes.string(3)).isEqualTo("abc");
        assertThat(attributes.has(4)).isFalse();
    }
}
