package dev.nugator.netlink;

import java.util.HexFormat;

/** Ethernet addresses in the usual {@code aa:bb:cc:dd:ee:ff} text form. */
final class MacAddress {
    private static final HexFormat COLONS = HexFormat.ofDelimiter(":");

    private MacAddress() {}

    /** Parses six colon-separated hex bytes; throws IllegalArgumentException naming {@code field}. */
    static byte[] parse(String field, String mac) {
        byte[] bytes;
        try {
            bytes = COLONS.parseHex(mac);
        } catch (IllegalArgumentException e) {
            throw invalid(field, mac);
        }
        if (bytes.length != 6 || mac.length() != 17) {
            throw invalid(field, mac);
        }
        if ((bytes[0] & 1) != 0) {
            throw new IllegalArgumentException(field + ": '" + mac + "' is a multicast address");
        }
        return bytes;
    }

    /** Lower-case, colon-separated; empty for a device without a hardware address. */
    static String format(byte[] bytes) {
        return bytes == null ? "" : COLONS.formatHex(bytes);
    }

    private static IllegalArgumentException invalid(String field, String mac) {
        return new IllegalArgumentException(field + ": '" + mac + "' is not a MAC address like 02:00:00:00:00:01");
    }
}
