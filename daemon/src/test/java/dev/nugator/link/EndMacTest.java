package dev.nugator.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.pairing.Side;
import java.util.HexFormat;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class EndMacTest {
    @Test
    void aLinkEndWithoutMacGetsTheSameLocallyAdministeredUnicastMacEveryTime() {
        var link = LinkPlannerTest.link(OptionalInt.empty());

        String a = EndMac.of(link, Side.A);

        assertThat(a).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
        int first = HexFormat.fromHexDigits(a.substring(0, 2));
        assertThat(first & 0x01).as("unicast").isZero();
        assertThat(first & 0x02).as("locally administered").isEqualTo(2);
        assertThat(EndMac.of(LinkPlannerTest.link(OptionalInt.of(9000)), Side.A)).as("same link, same side").isEqualTo(a);
        assertThat(EndMac.of(link, Side.B)).as("the other side").isNotEqualTo(a);
    }

    @Test
    void theLinksOwnMacWins() {
        var link = LinkPlannerTest.link(OptionalInt.empty());
        var withMac = new dev.nugator.pairing.LinkSpec(new dev.nugator.pairing.Endpoint(link.a().pod(), link.a().ifname(),
                link.a().addresses(), java.util.Optional.of("02:00:00:00:00:0a")), link.b(), link.mtu(), link.owner(), link.labels(), "test");

        assertThat(EndMac.of(withMac, Side.A)).isEqualTo("02:00:00:00:00:0a");
    }
}
