package dev.nugator.pairing;

/**
 * What a link looks like now, for {@code nugatorctl status}: the link's state and why, and each
 * end's state and why.
 */
public record LinkStatus(LinkSpec link, State state, String reason, EndStatus a, EndStatus b) {
    public enum State { PENDING, UP, ERROR }

    /** One end: {@code pending} (pod not running here yet), {@code up}, {@code down} or {@code error}, with a detail. */
    public record EndStatus(String state, String detail) {}
}
