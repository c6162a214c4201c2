package dev.nugator.link;

import dev.nugator.pairing.PodRef;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pod writes this node made and already followed in the kernel: an ADD's attachment (its links
 * made before the ADD returned) and a DEL's removal (its ends gone, its peers' ports down). The
 * store's watch echoes them back later; the echo of exactly such a write needs no second pass,
 * which would only redo the work (and could undo what changed since).
 *
 * <p>An ADD's write is known as its own before its revision is: the watch often delivers the echo
 * before the transaction's answer reaches the ADD (two streams of one connection), and a pass over
 * the pod's links then would hold their locks while the ADD waits to make them. So an ADD marks its
 * pod as being attached here, by its container, before it writes.
 */
final class OwnWrites {
    private final Map<PodRef, String> attaching = new ConcurrentHashMap<>();
    private final Map<PodRef, Long> attachedAt = new ConcurrentHashMap<>();
    private final Map<PodRef, Long> detachedAt = new ConcurrentHashMap<>();

    /** An ADD of the pod's container here is about to write its attachment. */
    void attaching(PodRef pod, String containerId) {
        attaching.put(pod, containerId);
    }

    /** The ADD's write landed at {@code revision}; it is followed in the kernel by that ADD. */
    void attached(PodRef pod, String containerId, long revision) {
        attachedAt.put(pod, revision);   // before the mark goes, so that one of the two is always there
        attaching.remove(pod, containerId);
    }

    /** An ADD that failed after (or while) writing: its echo must be followed after all. */
    void attachFailed(PodRef pod, String containerId, long revision) {
        attachedAt.remove(pod, revision);
        attaching.remove(pod, containerId);
    }

    /** An ADD whose write did not land (or may have: its release is then pending elsewhere). */
    void attachNotWritten(PodRef pod, String containerId) {
        attaching.remove(pod, containerId);
    }

    void detached(PodRef pod, long revision) {
        detachedAt.put(pod, revision);
    }

    /** Whether the pod's record written at {@code revision} for {@code containerId} is an ADD's here. */
    boolean isAttach(PodRef pod, String containerId, long revision) {
        Long at = attachedAt.get(pod);
        return at != null && at == revision || containerId.equals(attaching.get(pod));
    }

    boolean isDetach(PodRef pod, long revision) {
        Long at = detachedAt.get(pod);
        return at != null && at == revision;
    }
}
