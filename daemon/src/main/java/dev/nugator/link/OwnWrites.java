package dev.nugator.link;

import dev.nugator.pairing.PodRef;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pod writes this node made and already followed in the kernel: an ADD's attachment (its links
 * made before the ADD returned) and a DEL's removal (its ends gone, its peers' ports down). The
 * store's watch echoes them back later; the echo of exactly such a write needs no second pass,
 * which would only redo the work (and could undo what changed since).
 */
final class OwnWrites {
    private final Map<PodRef, Long> attachedAt = new ConcurrentHashMap<>();
    private final Map<PodRef, Long> detachedAt = new ConcurrentHashMap<>();

    void attached(PodRef pod, long revision) {
        attachedAt.put(pod, revision);
    }

    /** An ADD that failed after its write: its echo must be followed after all. */
    void attachFailed(PodRef pod, long revision) {
        attachedAt.remove(pod, revision);
    }

    void detached(PodRef pod, long revision) {
        detachedAt.put(pod, revision);
    }

    boolean isAttach(PodRef pod, long revision) {
        Long at = attachedAt.get(pod);
        return at != null && at == revision;
    }

    boolean isDetach(PodRef pod, long revision) {
        Long at = detachedAt.get(pod);
        return at != null && at == revision;
    }
}
