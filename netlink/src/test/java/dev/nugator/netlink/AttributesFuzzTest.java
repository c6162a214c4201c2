package dev.nugator.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;

/**
 * Attributes over any bytes: the walk ends at the first malformed length and every accessor, down
 * through nested levels, answers without reading outside the bytes it was given. What
 * {@link MessageWriter} writes reads back, the last of a type winning as in the kernel's nla_parse.
 */
class AttributesFuzzTest {
    private static final int DEPTH = 4;

    @FuzzTest
    void anyBytesWalkWithoutReadingOutside(byte[] bytes) {
        readEverything(Attributes.parse(MemorySegment.ofArray(bytes), 0, bytes.length), DEPTH);
    }

    @FuzzTest
    void writtenAttributesReadBack(FuzzedDataProvider data) {
        MessageWriter writer = MessageWriter.onHeap(8192);
        writer.start(Rtm.NEWLINK, 0, 1).ifInfoMsg();
        var last = new HashMap<Integer, byte[]>();
        int count = data.consumeInt(0, 24);
        for (int i = 0; i < count; i++) {
            int type = data.consumeInt(0, Attributes.MAX_TYPE);
            byte[] value = data.consumeBytes(data.consumeInt(0, 200));
            writer.bytes(type, value);
            last.put(type, value);
        }
        MemorySegment message = writer.finish();
        NlMsgHdr header = new NlMsgHdr(message, 0);

        Attributes attributes = Attributes.parse(message, header.payloadOffset() + IfInfoMsg.SIZE, header.end());

        for (int type = 0; type <= Attributes.MAX_TYPE; type++) {
            assertThat(attributes.bytes(type)).as("type %d", type).isEqualTo(last.get(type));
        }
    }

    private static void readEverything(Attributes attributes, int depth) {
        for (int type = 0; type <= Attributes.MAX_TYPE; type++) {
            MemorySegment value = attributes.value(type);
            assertThat(attributes.has(type)).isEqualTo(value != null);
            attributes.u32(type, -1);
            attributes.u8(type, -1);
            attributes.u16BigEndian(type, -1);
            String text = attributes.string(type);
            byte[] raw = attributes.bytes(type);
            if (value != null) {
                assertThat(raw).isEqualTo(value.toArray(ValueLayout.JAVA_BYTE));
                assertThat(text).doesNotContain("\0");
            }
            if (depth > 0 && value != null) {
                readEverything(attributes.nested(type), depth - 1);
            }
        }
    }
}
