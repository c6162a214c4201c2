package dev.nugator.testkit;

/**
 * IPv4 arithmetic for assertions such as "net0's address is in 192.168.122.200-216". Written out
 * here because {@code InetAddress} has no notion of subnets and tests must not do DNS lookups.
 */
public final class Ipv4 {
    private Ipv4() {}

    /** "10.22.0.5" or "10.22.0.5/16" to its 32-bit value. */
    public static long toLong(String address) {
        String[] parts = stripPrefix(address).split("\\.");
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        long value = 0;
        for (String part : parts) {
            int octet = Integer.parseInt(part);
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + address);
            }
            value = value << 8 | octet;
        }
        return value;
    }

    public static boolean isIpv4(String address) {
        try {
            toLong(address);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether {@code address} (with or without /len) lies inside {@code cidr}. */
    public static boolean inSubnet(String address, String cidr) {
        int slash = cidr.indexOf('/');
        int length = Integer.parseInt(cidr.substring(slash + 1));
        long mask = length == 0 ? 0 : (0xFFFF_FFFFL << (32 - length)) & 0xFFFF_FFFFL;
        return (toLong(address) & mask) == (toLong(cidr) & mask);
    }

    /** Whether {@code address} lies in the inclusive range first..last. */
    public static boolean inRange(String address, String first, String last) {
        long value = toLong(address);
        return value >= toLong(first) && value <= toLong(last);
    }

    public static String stripPrefix(String address) {
        int slash = address.indexOf('/');
        return slash < 0 ? address : address.substring(0, slash);
    }
}
