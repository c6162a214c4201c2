package dev.nugator.testkit;

/**
 * How nugatord names a link's devices in its panel (README, "Looking into the panel"): the first
 * 13 hex digits of the link id, then {@code -a} or {@code -b} for a side's port, {@code -v} for the
 * link's VXLAN device. Written here from the documentation, not taken from the daemon's code.
 */
public final class PanelPorts {
    private PanelPorts() {}

    /** {@code side} is "a" or "b" (any case). */
    public static String port(String linkId, String side) {
        return linkId.substring(0, 13) + "-" + side.toLowerCase(java.util.Locale.ROOT);
    }

    public static String tunnel(String linkId) {
        return linkId.substring(0, 13) + "-v";
    }
}
