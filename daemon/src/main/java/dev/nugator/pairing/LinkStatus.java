package dev.nugator.pairing;

import java.util.Optional;

/**
 * What a link looks like now, for {@code nugatorctl status}: the link's state and why, each end's
 * state and why, and the VNI when the link crosses nodes.
 */
public record LinkStatus(LinkSpec link, State state, String reason, EndStatus a, EndStatus b, Optional<Integer> vni) {
    public enum State { PENDING, UP, ERROR }

    /**
     * One end: {@code pending} (its pod runs nowhere), {@code up}, {@code down}, {@code error}, or
     * {@code remote} (on a node whose kernel the reader cannot see); with the node it runs on (empty
     * when none), the kind of its interface ({@code veth}, {@code vxlan}, empty when unknown) and a detail.
     */
    public record EndStatus(String state, String detail, String node, String kind) {
        public static EndStatus pending(PodRef pod) {
            return new EndStatus("pending", pod + " is not running", "", "");
        }
    }

    /** The link's state from its ends' and the error a node reported for it (if any). */
    public static LinkStatus of(LinkSpec link, EndStatus a, EndStatus b, Optional<String> error, Optional<Integer> vni) {
        if (error.isPresent()) {
            return new LinkStatus(link, State.ERROR, error.get(), a, b, vni);
        }
        if (a.state().equals("error") || b.state().equals("error")) {
            var bad = a.state().equals("error") ? a : b;
            return new LinkStatus(link, State.ERROR, bad.detail(), a, b, vni);
        }
        if (isUp(a) && isUp(b)) {
            return new LinkStatus(link, State.UP, "", a, b, vni);
        }
        var waiting = a.state().equals("pending") ? a : b.state().equals("pending") ? b : null;
        return new LinkStatus(link, State.PENDING, waiting != null ? "waiting: " + waiting.detail() : "no carrier yet", a, b, vni);
    }

    /** A remote end counts as up: its node reports an error for it when it is not. */
    private static boolean isUp(EndStatus end) {
        return end.state().equals("up") || end.state().equals("remote");
    }
}
