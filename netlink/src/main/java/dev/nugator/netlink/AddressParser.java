package dev.nugator.netlink;

import java.lang.foreign.MemorySegment;
import java.util.function.IntFunction;

/** Decodes an RTM_NEWADDR message into an {@link AddressInfo}. */
final class AddressParser {
    private AddressParser() {}

    /**
     * IPv4 carries the interface's own address in IFA_LOCAL (IFA_ADDRESS is the peer's on
     * point-to-point links); IPv6 sends IFA_ADDRESS only. IPv6 has no label, so the name comes from
     * {@code names}, which maps an index to its interface name (null when unknown).
     */
    static AddressInfo parse(MemorySegment segment, NlMsgHdr header, IntFunction<String> names) {
        if (header.length() < NlMsgHdr.SIZE + IfAddrMsg.SIZE) {
            throw malformed("shorter than its ifaddrmsg");
        }
        IfAddrMsg ifAddr = new IfAddrMsg(segment, header.payloadOffset());
        Attributes attributes = Attributes.parse(segment, header.payloadOffset() + IfAddrMsg.SIZE, header.end());
        byte[] address = attributes.has(Ifa.LOCAL) ? attributes.bytes(Ifa.LOCAL) : attributes.bytes(Ifa.ADDRESS);
        if (address == null) {
            throw malformed("with no address in it");
        }
        return new AddressInfo(
                ifAddr.index(), names.apply(ifAddr.index()), InetAddresses.of(address), ifAddr.prefixLength());
    }

    /** The kernel never sends such a message; a reply that holds one is refused whole, never half read. */
    private static NetlinkException malformed(String what) {
        return new NetlinkException("decode an address message", Errno.EBADMSG.number(), "an RTM_NEWADDR " + what);
    }
}
