package dev.nugator.link;

import dev.nugator.pairing.Side;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The name a link end waits under in nugatord's namespace while its pod is away: derived from the
 * link and side alone, so any nugatord (or the same one after a restart) finds it again.
 * {@code nug} and 11 hex digits: 14 bytes, within the kernel's 15.
 */
public final class ParkedNames {
    public static final String PREFIX = "nug";

    private ParkedNames() {}

    public static String of(String linkId, Side side) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((linkId + "/" + side).getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest, 0, 6).substring(0, 11);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
