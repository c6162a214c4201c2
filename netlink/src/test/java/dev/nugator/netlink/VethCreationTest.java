package dev.nugator.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which end goes first in the create request: the kernel brings up only that one. */
class VethCreationTest {
    /** Any namespace will do: {@link #ELSEWHERE} is a socket namespace inode that no namespace has. */
    private final NetNamespace other = NetNamespace.open(Path.of("/proc/self/ns/net"));
    private static final long ELSEWHERE = -1;

    @AfterEach
    void close() {
        other.close();
    }

    @Test
    void aLonePeerUpGoesFirst() {
        VethSpec spec = VethSpec.of("a", "b").withMac("02:00:00:00:00:0a").withGroup(5).withPeerGroup(6)
                .withAdminUp(false, true);

        VethSpec sent = VethCreation.upFirst(spec, ELSEWHERE);

        assertThat(sent).isEqualTo(VethSpec.of("b", "a").withPeerMac("02:00:00:00:00:0a").withGroup(6)
                .withPeerGroup(5).withAdminUp(true, false));
    }

    @Test
    void withBothUpTheEndThatLivesHereGoesSecond() {
        VethSpec firstHere = VethSpec.of("a", "b").peerIn(other).withAdminUp(true, true);
        VethSpec peerHere = VethSpec.of("a", "b").inNamespace(other).withAdminUp(true, true);
        VethSpec neither = VethSpec.of("a", "b").inNamespace(other).peerIn(other).withAdminUp(true, true);

        assertThat(VethCreation.upFirst(firstHere, ELSEWHERE).name()).isEqualTo("b");
        assertThat(VethCreation.upFirst(peerHere, ELSEWHERE)).isSameAs(peerHere);
        assertThat(VethCreation.upFirst(neither, ELSEWHERE)).isSameAs(neither);
        // a namespace given explicitly that is the socket's own counts as here
        assertThat(VethCreation.upFirst(neither, other.inode())).isSameAs(neither);
        assertThat(VethCreation.upFirst(VethSpec.of("a", "b").peerIn(other).withAdminUp(true, true), other.inode()))
                .extracting(VethSpec::name).isEqualTo("a");
    }

    @Test
    void withoutAdminUpNothingMoves() {
        VethSpec spec = VethSpec.of("a", "b").peerIn(other);

        assertThat(VethCreation.upFirst(spec, ELSEWHERE)).isSameAs(spec);
        assertThat(VethCreation.upFirst(spec.withAdminUp(true, false), ELSEWHERE).name()).isEqualTo("a");
    }
}
