package dev.nugator.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Address family helpers; no name is ever resolved here. */
final class InetAddresses {
    private InetAddresses() {}

    static InetAddress of(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a 4 or 16 byte address: " + bytes.length + " bytes", e);
        }
    }

    static int family(InetAddress address) {
        return address instanceof Inet4Address ? IfAddrMsg.AF_INET : IfAddrMsg.AF_INET6;
    }

    static int maxPrefixLength(InetAddress address) {
        return address.getAddress().length * 8;
    }

    static void requirePrefixLength(InetAddress address, int prefixLength) {
        int max = maxPrefixLength(address);
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException(
                    "prefixLength: must be 0.." + max + " for " + address.getHostAddress() + ", got " + prefixLength);
        }
    }
}
