package dev.nugator.link;

import dev.nugator.netlink.LinkInfo;
import dev.nugator.netlink.Outcome;
import dev.nugator.pairing.Side;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one pass over a link looks at, and how closely. A full pass (the watch, the resync) checks
 * every end here in depth and removes what the link no longer needs. A pod's ADD checks its own
 * ends and makes them straight away (a new pod rarely has them: the kernel says so when it does),
 * taking a peer's end as its port shows it, and leaves the ports it wired to be brought up
 * together once all its links are wired ({@code upLater}): the kernel's carrier work then does not
 * interleave with the making of the rest. A peer's pass, for a pod that changed while its peers'
 * ends here did not (its DEL here, which found its own ends gone already, or a pod starting or
 * stopping on another node), takes every end here as its port shows it and only rewires the cable.
 * Both leave cleaning up to the full passes.
 */
record Pass(Set<Side> own, boolean cleans, boolean adding, List<String> upLater, Map<String, Outcome<LinkInfo>> made) {
    static Pass full() {
        return new Pass(EnumSet.allOf(Side.class), true, false, List.of(), Map.of());
    }

    /**
     * The ADD of the pod at {@code own} (both sides, for a link from a pod to itself); ports to bring
     * up go to {@code upLater}; {@code made}: the pod's ends its ADD made together ({@link EndBatch}), by port.
     */
    static Pass add(Set<Side> own, List<String> upLater, Map<String, Outcome<LinkInfo>> made) {
        return new Pass(own, false, true, upLater, made);
    }

    /** A peer's pass: no end here looked at in depth, nothing cleaned, the cable rewired. */
    static Pass peers() {
        return new Pass(EnumSet.noneOf(Side.class), false, false, List.of(), Map.of());
    }

    /** Whether the end at {@code side} is looked at in depth. */
    boolean checks(Side side) {
        return own.contains(side);
    }
}
