package dev.nugator.link;

import dev.nugator.pairing.Side;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a link's devices are called in the panel: derived from the link alone, so that any
 * nugatord (or the same one after a restart) finds them again. A link id is 16 hex digits; its
 * first {@value #ID_DIGITS} name the link here (52 bits: two live links sharing them is as likely
 * as a hash collision), then {@code -a} or {@code -b} for a side's port and {@code -v} for the
 * link's VXLAN device: 15 bytes, the kernel's limit.
 */
public final class PanelNames {
    static final int ID_DIGITS = 13;
    private static final Pattern NAME = Pattern.compile("([0-9a-f]{" + ID_DIGITS + "})-([abv])");

    private PanelNames() {}

    /** The panel side of the link's end at {@code side}: the veth peer of the pod's interface. */
    public static String port(String linkId, Side side) {
        return prefix(linkId) + (side == Side.A ? "-a" : "-b");
    }

    /** The link's VXLAN device on a node that holds one of its ends while the other runs elsewhere. */
    public static String tunnel(String linkId) {
        return prefix(linkId) + "-v";
    }

    /** The part of a link id that panel names carry. */
    static String prefix(String linkId) {
        return linkId.substring(0, ID_DIGITS);
    }

    /** The link prefix of a panel name of ours; empty for any other name (lo, or something someone added). */
    static Optional<String> prefixOf(String name) {
        var m = NAME.matcher(name);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
