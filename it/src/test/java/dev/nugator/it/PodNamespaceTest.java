package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.CniCall;
import dev.nugator.testkit.CniResult;
import dev.nugator.testkit.LabPod;
import dev.nugator.testkit.LinkLab;
import dev.nugator.testkit.Proc;
import dev.nugator.testkit.RootIntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CNI_NETNS as a hostile or broken runtime gives it, for a pod that has links: a FIFO, a path
 * that is not there, a plain file, a namespace of another kind, nugatord's own namespace, its
 * patch panel. Each ADD fails at once with code 4 naming CNI_NETNS, leaves nothing behind, and
 * never stalls nugatord for anyone else.
 */
@RootIntegrationTest
class PodNamespaceTest {
    private static final Duration QUICK = Duration.ofSeconds(20);

    @RegisterExtension
    final LinkLab lab = LinkLab.create();

    private LabPod r1;
    private LabPod r2;

    @BeforeEach
    void announceThePair() {
        lab.announce("r1", "e1", "192.0.2.1/30", "r2", "e1", "192.0.2.2/30");
        r1 = lab.pod("r1");
        r2 = lab.pod("r2");
    }

    private CniResult addR1In(String netns) {
        return CniCall.of("ADD").containerId("ntc-bad-" + Math.abs(netns.hashCode())).netns(netns).ifname("eth0")
                .args(r1.cniArgs()).config(lab.network()).deadline(QUICK).run();
    }

    /** Refused with code 4 naming CNI_NETNS, and nothing of r1's made: no record, no port, not attached. */
    private void assertRefusedAndNothingLeft(CniResult add, String... words) {
        assertThat(add.exitCode()).as(add.describe()).isEqualTo(1);
        assertThat(add.errorCode()).as(add.describe()).isEqualTo(4);
        assertThat(add.errorMsg()).as(add.describe()).contains("CNI_NETNS").contains(words);
        assertThat(lab.attachmentRecords()).as("attachment records of the refused ADDs")
                .noneMatch(record -> record.toString().contains("ntc-bad-"));
        var link = lab.status().link(r1.end("e1"));
        assertThat(link.end(r1.end("e1")).state()).as("r1 is not attached: %s", link).isEqualTo("pending");
        assertThat(lab.strayInNode()).as("anything of ours in the node").isEmpty();
    }

    @Test
    void aFifoIsRefusedAtOnceAndOthersAreServedMeanwhile() throws Exception {
        Path fifo = lab.tempDir().resolve("netns-fifo");
        Proc.of("mkfifo", fifo.toString()).check();

        // two such ADDs at once held both carriers of the virtual-thread scheduler before
        var first = CompletableFuture.supplyAsync(() -> addR1In(fifo.toString()));
        var second = CompletableFuture.supplyAsync(() -> addR1In(fifo.toString()));
        var other = r2.add();

        assertThat(other.exitCode()).as("an unrelated ADD meanwhile: %s", other.describe()).isZero();
        assertRefusedAndNothingLeft(first.get(QUICK.toSeconds() + 5, TimeUnit.SECONDS), fifo.toString(), "not a namespace file");
        assertThat(second.get(QUICK.toSeconds() + 5, TimeUnit.SECONDS).errorCode()).isEqualTo(4);
    }

    @Test
    void aNamespaceThatIsNotThereIsRefusedNotTakenForAPodThatHasGone() {
        assertThat(lab.panelNames()).isEmpty();
        assertRefusedAndNothingLeft(addR1In("/run/netns/ntnothere-" + ProcessHandle.current().pid()), "no such network namespace");
        assertThat(lab.panelNames()).as("devices in the panel").isEmpty();
    }

    @Test
    void aPlainFileOrAnotherKindOfNamespaceIsRefused() throws Exception {
        Path file = Files.writeString(lab.tempDir().resolve("not-a-netns"), "x");

        assertRefusedAndNothingLeft(addR1In(file.toString()), "not a namespace file");
        assertRefusedAndNothingLeft(addR1In("/proc/self/ns/mnt"), "not a network namespace");
    }

    @Test
    void nugatordsOwnNamespaceAndItsPanelAreRefused() {
        // /proc/self is resolved by nugatord, so this is its own namespace: the host's, on a real node
        assertRefusedAndNothingLeft(addR1In("/proc/self/ns/net"), "own network namespace");
        assertRefusedAndNothingLeft(addR1In(lab.daemon().panel().path().toString()), "patch panel");
    }
}
