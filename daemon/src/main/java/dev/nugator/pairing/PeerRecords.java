package dev.nugator.pairing;

import dev.nugator.store.Compare;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pods at the other ends of a pod's links as this node last saw them: where each runs, and the
 * mod revision of its record (0 when none). An attach that decided by them (a VNI needed or not)
 * compares those revisions, so a peer recorded meanwhile fails the attach instead of slipping by.
 */
public record PeerRecords(Map<PodRef, Long> revisions, Map<PodRef, PodAttachment> attached) {
    public static final PeerRecords NONE = new PeerRecords(Map.of(), Map.of());

    public PeerRecords {
        revisions = Map.copyOf(revisions);
        attached = Map.copyOf(attached);
    }

    public Optional<PodAttachment> of(PodRef pod) {
        return Optional.ofNullable(attached.get(pod));
    }

    public List<Compare> compares() {
        return revisions.entrySet().stream()
                .<Compare>map(e -> new Compare.ModRevision(Keys.pod(e.getKey()), e.getValue())).toList();
    }
}
