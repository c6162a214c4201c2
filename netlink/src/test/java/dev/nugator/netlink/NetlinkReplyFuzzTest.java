package dev.nugator.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Any bytes as the buffer one receive filled, walked as {@code NetlinkSocket} walks it and each
 * message handed to the dump readers of links, addresses and tc filters, and to {@link NlMsgErr}.
 * Each message is decoded in a slice that ends where it ends, so a parser that reads past its
 * message (into the next one, or stale bytes of the receive buffer) fails here instead of returning
 * garbage. Decoding answers a value, or a {@link NetlinkException} (a refusal, a failed dump), or an
 * IllegalArgumentException for an address attribute of a length no address has; and a message
 * decodes the same wherever it sits in the buffer.
 */
class NetlinkReplyFuzzTest {
    private record Reader<T>(String operation, int entryType, BiFunction<MemorySegment, NlMsgHdr, T> decoder) {}

    private static final List<Reader<?>> READERS = List.of(
            new Reader<>("list links", Rtm.NEWLINK, LinkParser::parse),
            new Reader<>("list addresses", Rtm.NEWADDR,
                    (MemorySegment segment, NlMsgHdr header) -> AddressParser.parse(segment, header, index -> "if" + index)),
            new Reader<>("list filters", Rtm.NEWTFILTER, TcFilterParser::parse));

    @FuzzTest
    void anyReplyBufferDecodesOrIsRefused(byte[] received) {
        MemorySegment buffer = MemorySegment.ofArray(received);
        long at = 0;
        while (at + NlMsgHdr.SIZE <= received.length) {
            NlMsgHdr header = new NlMsgHdr(buffer, at);
            if (header.length() < NlMsgHdr.SIZE || at + header.length() > received.length) {
                return; // the socket's "malformed reply" (EBADMSG)
            }
            MemorySegment alone = buffer.asSlice(at, header.length());
            MemorySegment inPlace = buffer.asSlice(0, at + header.length());
            for (Reader<?> reader : READERS) {
                assertThat(read(reader, inPlace, at)).isEqualTo(read(reader, alone, 0));
            }
            if (header.type() == NlMsgHdr.NLMSG_ERROR) {
                assertThat(error(inPlace, at)).isEqualTo(error(alone, 0));
            }
            at += NlMsgHdr.align(header.length());
        }
    }

    /** What a dump reader makes of one message: its entries, or the class of its refusal. */
    private static Object read(Reader<?> reader, MemorySegment segment, long offset) {
        var dump = new DumpReader<>(reader.operation(), segment, reader.entryType(), reader.decoder());
        try {
            boolean done = dump.handle(new NlMsgHdr(segment, offset));
            return List.of(done, dump.interrupted(), dump.entries());
        } catch (NetlinkException refused) {
            return List.of(refused.errno(), Objects.toString(refused.kernelMessage()));
        } catch (IllegalArgumentException noAddress) {
            return noAddress.getClass();
        }
    }

    private static List<Object> error(MemorySegment segment, long offset) {
        var error = new NlMsgErr(segment, new NlMsgHdr(segment, offset));
        return List.of(error.errno(), error.requestSeq(), Objects.toString(error.kernelMessage()), error.badAttributeOffset());
    }
}
