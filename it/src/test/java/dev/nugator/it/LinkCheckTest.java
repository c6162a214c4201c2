package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nugator.testkit.CniResult;
import dev.nugator.testkit.LabPod;
import dev.nugator.testkit.LinkLab;
import dev.nugator.testkit.RootIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CHECK (cniVersion 1.0.0) looks at a pod's links too: it passes right after ADD, and fails with
 * code 103 and a message naming the link when a link interface is gone or lacks its address.
 */
@RootIntegrationTest
class LinkCheckTest {
    private static final int CHECK_FAILED = 103;

    /** The reconciler's resync would repair what these tests break on purpose before CHECK sees it. */
    @RegisterExtension
    final LinkLab lab = LinkLab.create(daemon -> daemon.args("--resync-interval", "3600"));

    private LabPod r1;
    private LabPod r2;

    @BeforeEach
    void applyTheLink() {
        lab.ctl().applyTopology("""
                name: check
                links:
                  - a: {pod: r1, ifname: e1, ipv4: 198.51.100.1/30}
                    b: {pod: r2, ifname: e1, ipv4: 198.51.100.2/30}
                """).requireSuccess();
        r1 = lab.pod("r1");
        r2 = lab.pod("r2");
    }

    @Test
    void checkPassesRightAfterAddWithThePeerAwayAndWithThePeerPresent() {
        JsonNode first = r1.attach();

        CniResult alone = r1.check(first);
        assertThat(alone.exitCode()).as(alone.describe()).isZero();

        JsonNode second = r2.attach();
        CniResult both1 = r1.check(first);
        CniResult both2 = r2.check(second);
        assertThat(both1.exitCode()).as(both1.describe()).isZero();
        assertThat(both2.exitCode()).as(both2.describe()).isZero();
    }

    @Test
    void checkFailsNamingTheLinkWhenItsInterfaceWasDeletedByHand() {
        JsonNode result = r1.attach();
        r2.attach();
        r1.netns().ip("link", "del", "e1");

        CniResult check = r1.check(result);

        assertThat(check.exitCode()).as(check.describe()).isEqualTo(1);
        assertThat(check.errorCode()).as(check.describe()).isEqualTo(CHECK_FAILED);
        assertThat(check.errorText()).as("the message names the link and the interface").contains(r1.end("e1"))
                .contains(r2.end("e1")).contains("missing");
    }

    @Test
    void checkFailsNamingTheLinkWhenItsAddressWasRemoved() {
        JsonNode result = r1.attach();
        r1.netns().ip("addr", "del", "198.51.100.1/30", "dev", "e1");

        CniResult check = r1.check(result);

        assertThat(check.errorCode()).as(check.describe()).isEqualTo(CHECK_FAILED);
        assertThat(check.errorText()).as("the message names the link and the address").contains(r1.end("e1"))
                .contains("198.51.100.1/30");
    }

    @Test
    void checkOfTheOtherPodStillPassesWhenOnlyOnePodsAddressIsGone() {
        r1.attach();
        JsonNode second = r2.attach();
        r1.netns().ip("addr", "del", "198.51.100.1/30", "dev", "e1");

        CniResult check = r2.check(second);

        assertThat(check.exitCode()).as("r2's own interface is intact: %s", check.describe()).isZero();
    }
}
