package dev.nugator.netlink;

import static dev.nugator.netlink.NlMsgHdr.NLM_F_ACK;
import static dev.nugator.netlink.NlMsgHdr.NLM_F_CREATE;
import static dev.nugator.netlink.NlMsgHdr.NLM_F_DUMP;
import static dev.nugator.netlink.NlMsgHdr.NLM_F_EXCL;
import static dev.nugator.netlink.NlMsgHdr.NLM_F_REQUEST;

import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Encodes RTM_*ADDR requests the way iproute2 does: the address goes as both IFA_LOCAL and
 * IFA_ADDRESS (no peer). IPv6 addresses carry IFA_F_NODAD so they are usable at once instead of
 * "tentative" for a second or two while duplicate detection runs on a link nobody else is on.
 */
final class AddressRequests {
    private AddressRequests() {}

    static MemorySegment dump(MessageWriter w, int seq) {
        return dump(w, seq, 0);
    }

    /** With strict checking on the socket, the kernel returns only the addresses of {@code ifindex} (0: all). */
    static MemorySegment dump(MessageWriter w, int seq, int ifindex) {
        w.start(Rtm.GETADDR, NLM_F_REQUEST | NLM_F_DUMP, seq).ifAddrMsg().index(ifindex);
        return w.finish();
    }

    static MemorySegment add(MessageWriter w, int seq, int ifindex, InetAddress address, int prefixLength) {
        return address(w, Rtm.NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
                seq, ifindex, address, prefixLength);
    }

    static MemorySegment remove(MessageWriter w, int seq, int ifindex, InetAddress address, int prefixLength) {
        return address(w, Rtm.DELADDR, NLM_F_REQUEST | NLM_F_ACK, seq, ifindex, address, prefixLength);
    }

    private static MemorySegment address(MessageWriter w, int type, int flags, int seq, int ifindex,
                                         InetAddress address, int prefixLength) {
        InetAddresses.requirePrefixLength(address, prefixLength);
        boolean v6 = address instanceof Inet6Address;
        int addressFlags = v6 && type == Rtm.NEWADDR ? IfAddrMsg.IFA_F_NODAD : 0;
        w.start(type, flags, seq).ifAddrMsg()
                .family(InetAddresses.family(address))
                .prefixLength(prefixLength)
                .flags(addressFlags)
                .index(ifindex);
        w.bytes(Ifa.LOCAL, address.getAddress()).bytes(Ifa.ADDRESS, address.getAddress());
        if (addressFlags != 0) {
            w.u32(Ifa.FLAGS, addressFlags);
        }
        return w.finish();
    }
}
