package dev.nugator.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.pairing.PodRef;
import org.junit.jupiter.api.Test;

/**
 * Which echoes of the watch are this node's own ADDs: from the moment an ADD marks its pod (before
 * its write, whose echo may come before the write's answer) until it knows the revision, any
 * record of that container; afterwards exactly that revision; and none once the ADD gave up.
 */
class OwnWritesTest {
    private static final PodRef POD = new PodRef("default", "r1");
    private final OwnWrites own = new OwnWrites();

    @Test
    void whileAnAddWritesItsContainersRecordIsItsOwnWhateverTheRevision() {
        assertThat(own.isAttach(POD, "c1", 7)).isFalse();

        own.attaching(POD, "c1");

        assertThat(own.isAttach(POD, "c1", 7)).as("the echo before the write's answer").isTrue();
        assertThat(own.isAttach(POD, "c2", 7)).as("another container of the pod (from elsewhere)").isFalse();
        assertThat(own.isAttach(new PodRef("default", "r2"), "c1", 7)).isFalse();
    }

    @Test
    void onceTheRevisionIsKnownOnlyThatRevisionIsItsOwn() {
        own.attaching(POD, "c1");
        own.attached(POD, "c1", 7);

        assertThat(own.isAttach(POD, "c1", 7)).isTrue();
        assertThat(own.isAttach(POD, "c1", 9)).as("a later write of the pod's record is someone's change").isFalse();
    }

    @Test
    void anAddThatGaveUpOwnsNothing() {
        own.attaching(POD, "c1");
        own.attachNotWritten(POD, "c1");
        assertThat(own.isAttach(POD, "c1", 7)).as("a write that did not land").isFalse();

        own.attaching(POD, "c1");
        own.attached(POD, "c1", 7);
        own.attachFailed(POD, "c1", 7);
        assertThat(own.isAttach(POD, "c1", 7)).as("a write whose links failed: its echo must be followed").isFalse();
    }

    @Test
    void aLaterAddOfTheSamePodKeepsItsOwnMark() {
        own.attaching(POD, "c1");
        own.attaching(POD, "c2");   // a newer container of the pod, while c1's ADD still runs
        own.attachNotWritten(POD, "c1");

        assertThat(own.isAttach(POD, "c2", 8)).as("c1 giving up does not clear c2's mark").isTrue();
    }
}
