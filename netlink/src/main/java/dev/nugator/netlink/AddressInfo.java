package dev.nugator.netlink;

import java.net.InetAddress;

/** One IPv4 or IPv6 address on an interface. */
public record AddressInfo(int ifindex, String ifname, InetAddress address, int prefixLength) {
    /** The address in CIDR notation, e.g. {@code 192.168.2.100/24}. */
    public String cidr() {
        return address.getHostAddress() + "/" + prefixLength;
    }
}
