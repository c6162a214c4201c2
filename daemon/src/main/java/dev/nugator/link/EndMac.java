package dev.nugator.link;

import dev.nugator.pairing.LinkSpec;
import dev.nugator.pairing.Side;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The MAC of a link end: the one the link asks for, else one derived from the link and the side
 * (locally administered, unicast). A pod that restarts, or moves to another node, comes back with
 * the same MAC on that end, so its peer's ARP and neighbour caches stay right: a peer that bounces
 * faster than the kernel reports the carrier loss would otherwise keep sending to a MAC that is gone.
 */
final class EndMac {
    private EndMac() {}

    static String of(LinkSpec link, Side side) {
        return link.end(side).mac().orElseGet(() -> derived(link.id(), side));
    }

    static String derived(String linkId, Side side) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("mac/" + linkId + "/" + side).getBytes(StandardCharsets.UTF_8));
            digest[0] = (byte) ((digest[0] & 0xfc) | 0x02);
            return HexFormat.ofDelimiter(":").formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
