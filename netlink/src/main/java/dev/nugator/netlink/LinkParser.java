package dev.nugator.netlink;

import java.lang.foreign.MemorySegment;

/** Decodes an RTM_NEWLINK message (a dump entry or a GETLINK reply) into a {@link LinkInfo}. */
final class LinkParser {
    private static final String[] OPER_STATES =
            {"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"};

    private LinkParser() {}

    static LinkInfo parse(MemorySegment segment, NlMsgHdr header) {
        if (header.length() < NlMsgHdr.SIZE + IfInfoMsg.SIZE) {
            // the kernel never sends one: refused whole, never read past its end
            throw new NetlinkException("decode a link message", Errno.EBADMSG.number(), "an RTM_NEWLINK shorter than its ifinfomsg");
        }
        IfInfoMsg ifInfo = new IfInfoMsg(segment, header.payloadOffset());
        Attributes attributes = Attributes.parse(segment, header.payloadOffset() + IfInfoMsg.SIZE, header.end());
        Attributes linkInfo = attributes.nested(Ifla.LINKINFO);
        String kind = linkInfo.string(Ifla.INFO_KIND);
        int flags = ifInfo.flags();
        return new LinkInfo(
                ifInfo.index(),
                attributes.string(Ifla.IFNAME),
                kind == null ? "" : kind,
                MacAddress.format(attributes.bytes(Ifla.ADDRESS)),
                attributes.u32(Ifla.MTU, 0),
                (flags & IfInfoMsg.IFF_UP) != 0,
                carrier(attributes, flags),
                operState(attributes.u8(Ifla.OPERSTATE, 0)),
                attributes.u32(Ifla.LINK, 0),
                attributes.u32(Ifla.LINK_NETNSID, -1),
                attributes.u32(Ifla.MASTER, 0),
                "vxlan".equals(kind) ? VxlanAttributes.read(linkInfo.nested(Ifla.INFO_DATA)) : null,
                alias(attributes),
                attributes.u32(Ifla.GROUP, 0));
    }

    private static String alias(Attributes attributes) {
        String alias = attributes.string(Ifla.IFALIAS);
        return alias == null ? "" : alias;
    }

    /** IFLA_CARRIER is what the driver says; IFF_LOWER_UP says the same on kernels without it. */
    private static boolean carrier(Attributes attributes, int flags) {
        int carrier = attributes.u8(Ifla.CARRIER, -1);
        return carrier == -1 ? (flags & IfInfoMsg.IFF_LOWER_UP) != 0 : carrier != 0;
    }

    private static String operState(int state) {
        return state >= 0 && state < OPER_STATES.length ? OPER_STATES[state] : "UNKNOWN";
    }
}
