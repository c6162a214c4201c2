package dev.nugator.pairing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A desired point-to-point link (the intent): two endpoints, an optional MTU, which side owns it
 * (the announcer's PRIMARY), free-form labels kept with it (the announcer's TARGET_CONTAINER and
 * PUBLIC_IP), and where it came from (an announce, or a named topology).
 */
public record LinkSpec(Endpoint a, Endpoint b, OptionalInt mtu, Optional<Side> owner, Map<String, String> labels, String source,
                       String id) {

    /**
     * {@code id} is always derived from the endpoints here, whatever is passed (null will do): it is
     * asked for at every step of a link's life, and a SHA-256 each time showed in profiles.
     */
    public LinkSpec {
        labels = Map.copyOf(labels);
        if (a.label().compareTo(b.label()) > 0) {
            throw new IllegalArgumentException("endpoints out of order: use LinkSpec.of");
        }
        id = idOf(a.label() + "=" + b.label());
    }

    public LinkSpec(Endpoint a, Endpoint b, OptionalInt mtu, Optional<Side> owner, Map<String, String> labels, String source) {
        this(a, b, mtu, owner, labels, source, null);
    }

    /**
     * A link with its endpoints in canonical order; {@code firstOwns} says whether {@code first} owns
     * it. Its id is a stable hash of the two endpoints, so re-announcing or re-applying the same link
     * is idempotent.
     */
    public static LinkSpec of(Endpoint first, Endpoint second, OptionalInt mtu, boolean firstOwns, boolean secondOwns,
                              Map<String, String> labels, String source) {
        boolean swap = first.label().compareTo(second.label()) > 0;
        Endpoint a = swap ? second : first;
        Endpoint b = swap ? first : second;
        Optional<Side> owner = firstOwns ? Optional.of(swap ? Side.B : Side.A)
                : secondOwns ? Optional.of(swap ? Side.A : Side.B) : Optional.empty();
        return new LinkSpec(a, b, mtu, owner, labels, source);
    }

    public Endpoint end(Side side) {
        return side == Side.A ? a : b;
    }

    /** The side at this pod, if the link has one there (a link from a pod to itself has both: A first). */
    public Optional<Side> sideOf(PodRef pod) {
        return a.pod().equals(pod) ? Optional.of(Side.A) : b.pod().equals(pod) ? Optional.of(Side.B) : Optional.empty();
    }

    /** The sides at {@code pod}: one, both (a link from a pod to itself) or none. */
    public Set<Side> sidesAt(PodRef pod) {
        var sides = EnumSet.noneOf(Side.class);
        for (var side : Side.values()) {
            if (end(side).pod().equals(pod)) {
                sides.add(side);
            }
        }
        return sides;
    }

    public String label() {
        return a.label() + " <-> " + b.label();
    }

    static String idOf(String canonical) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
