package dev.nugator.pairing;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.regex.Pattern;

/** An interface address with its prefix length, written as CIDR. */
public record IfAddress(InetAddress address, int prefixLength) {
    /** The seed's notes give bare addresses and mean a /24. */
    public static final int DEFAULT_V4_PREFIX = 24;
    public static final int DEFAULT_V6_PREFIX = 64;
    private static final Pattern V4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");
    private static final Pattern V6 = Pattern.compile("^[0-9a-fA-F:.]+$");

    public IfAddress {
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 1 || prefixLength > max) {
            throw new IllegalArgumentException("prefix /" + prefixLength + " is out of range for " + address.getHostAddress());
        }
    }

    /** Parses {@code 192.0.2.1/30}, {@code 2001:db8::1/64} or a bare address (default prefix). Never resolves names. */
    public static IfAddress parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String host = slash < 0 ? trimmed : trimmed.substring(0, slash);
        boolean v4 = V4.matcher(host).matches();
        if (!v4 && !(host.contains(":") && V6.matcher(host).matches())) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address");
        }
        InetAddress address;
        try {
            address = InetAddress.ofLiteral(host);   // never a lookup: getByName asked DNS about '998.51.100.0'
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
        if (v4 && !(address instanceof Inet4Address)) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
        int prefix;
        if (slash < 0) {
            prefix = v4 ? DEFAULT_V4_PREFIX : DEFAULT_V6_PREFIX;
        } else {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' has no valid prefix length");
            }
        }
        return new IfAddress(address, prefix);
    }

    public boolean isV6() {
        return !(address instanceof Inet4Address);
    }

    @Override
    public String toString() {
        return (isV6() ? compressed(address.getAddress()) : address.getHostAddress()) + "/" + prefixLength;
    }

    /** RFC 5952 text: lower case, the longest run of two or more zero groups as "::". */
    static String compressed(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        var text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
