package dev.nugator.netlink;

/**
 * What one request of a batch came to: done (with what the kernel echoed for it, or null when it
 * echoed nothing), or refused by the kernel.
 */
public record Outcome<T>(T value, NetlinkException refusal) {
    public static <T> Outcome<T> done(T value) {
        return new Outcome<>(value, null);
    }

    public static <T> Outcome<T> refused(NetlinkException refusal) {
        return new Outcome<>(null, refusal);
    }

    public boolean isDone() {
        return refusal == null;
    }
}
