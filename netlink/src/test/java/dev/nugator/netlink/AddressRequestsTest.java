package dev.nugator.netlink;

import static dev.nugator.netlink.Bytes.hex;
import static dev.nugator.netlink.Bytes.normalized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressRequestsTest {
    private final MessageWriter writer = MessageWriter.onHeap(256);

    /** Byte for byte what `ip addr add 10.1.2.3/24 dev in1` sent here (strace), but for the seq. */
    @Test
    void ipv4LikeIproute2() {
        String iproute2 = """
                28000000 1400 0506 01000000 00000000
                02 18 00 00 03000000
                0800 0200 0a010203
                0800 0100 0a010203
                """;

        assertThat(hex(AddressRequests.add(writer, 1, 3, InetAddress.ofLiteral("10.1.2.3"), 24)))
                .isEqualTo(normalized(iproute2));
    }

    @Test
    void ipv6SkipsDuplicateDetection() {
        String expected = """
                48000000 1400 0506 02000000 00000000
                0a 40 02 00 05000000
                1400 0200 fd000000000000000000000000000001
                1400 0100 fd000000000000000000000000000001
                0800 0800 02000000
                """;

        assertThat(hex(AddressRequests.add(writer, 2, 5, InetAddress.ofLiteral("fd00::1"), 64)))
                .isEqualTo(normalized(expected));
    }

    @Test
    void removeHasNoCreateFlagsAndNoNodad() {
        String expected = """
                40000000 1500 0500 03000000 00000000
                0a 40 00 00 05000000
                1400 0200 fd000000000000000000000000000001
                1400 0100 fd000000000000000000000000000001
                """;

        assertThat(hex(AddressRequests.remove(writer, 3, 5, InetAddress.ofLiteral("fd00::1"), 64)))
                .isEqualTo(normalized(expected));
    }

    @Test
    void prefixLengthIsCheckedPerFamily() {
        assertThatThrownBy(() -> AddressRequests.add(writer, 1, 1, InetAddress.ofLiteral("10.0.0.1"), 33))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("prefixLength: must be 0..32");
        assertThat(AddressRequests.add(writer, 1, 1, InetAddress.ofLiteral("fd00::1"), 128).byteSize())
                .isEqualTo(72);
    }
}
