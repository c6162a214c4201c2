package dev.nugator.link;

import dev.nugator.pairing.LinkSpec;
import dev.nugator.pairing.PodAttachment;
import dev.nugator.pairing.Side;
import java.util.Map;
import java.util.Optional;

/**
 * What one link should look like on this node: the ends whose pods run here (each a pod side in
 * its pod and a port in the panel), how the panel wires them, the MTU of both pod sides, and what
 * keeps the link from working as asked (shown by status), if anything.
 */
record LinkPlan(LinkSpec link, Map<Side, PodAttachment> here, Cable cable, int mtu, Optional<String> problem) {
    LinkPlan {
        here = Map.copyOf(here);
    }
}
