package dev.nugator.pairing;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a pod where it runs, in one transaction with VNIs for those of its links whose peer runs
 * on another node and that have none yet: the peer's node then sees the pod and the VNI together.
 * The write compares the peers' records it decided by: when another node claims a VNI first or
 * records a peer meanwhile, the claims are proposed again; after a few tries the pod is recorded
 * alone and each link claims its VNI as it is made.
 */
public final class AttachTransaction {
    private static final Logger log = LoggerFactory.getLogger(AttachTransaction.class);
    /** How often an ADD proposes its links' VNIs again when another node claimed one first. */
    private static final int CLAIM_ATTEMPTS = 4;
    private final LinkRegistry registry;
    private final VniAllocator vnis;

    public AttachTransaction(LinkRegistry registry, VniAllocator vnis) {
        this.registry = registry;
        this.vnis = vnis;
    }

    /** Writes {@code pod} with the VNIs {@code links} (the pod's) need; returns the write's revision. */
    public long record(PodAttachment pod, List<LinkSpec> links) {
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
            var peers = registry.peers(pod.pod(), links);
            var claims = vnis.propose(links.stream().filter(l -> crossesWithoutVni(l, pod, peers)).map(LinkSpec::id).toList());
            try {
                var written = registry.attach(pod, claims, peers);
                if (written.isPresent()) {
                    vnis.claimed(claims);
                    return written.getAsLong();
                }
            } finally {
                vnis.settle(claims);
            }
            log.debug("{}: another node claimed a VNI or recorded a peer first; proposing again", pod.pod());
        }
        return registry.attach(pod);
    }

    private boolean crossesWithoutVni(LinkSpec link, PodAttachment pod, PeerRecords peers) {
        var peer = link.sideOf(pod.pod()).map(side -> link.end(side.other()).pod());
        return peer.filter(p -> !p.equals(pod.pod())).flatMap(peers::of)
                .filter(a -> !a.node().equals(pod.node())).isPresent() && vnis.find(link.id()).isEmpty();
    }
}
