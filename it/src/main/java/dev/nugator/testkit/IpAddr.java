package dev.nugator.testkit;

/**
 * One address on a link, as {@code ip -j addr} reports it.
 *
 * @param family "inet" or "inet6"
 * @param local the address without prefix length
 * @param prefixLen the prefix length
 */
public record IpAddr(String family, String local, int prefixLen) {

    public boolean isIpv4() {
        return "inet".equals(family);
    }

    /** "10.22.0.5/16". */
    public String cidr() {
        return local + "/" + prefixLen;
    }

    @Override
    public String toString() {
        return cidr();
    }
}
