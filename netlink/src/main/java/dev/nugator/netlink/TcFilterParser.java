package dev.nugator.netlink;

import java.lang.foreign.MemorySegment;

/**
 * Decodes an RTM_NEWTFILTER dump entry into a {@link TcFilter}: the u32 node's actions, down to
 * mirred's parameters. Every level goes through {@link Attributes}, and a struct shorter than its
 * layout is ignored, so a malformed entry decodes to "no redirect" and never reads past its end.
 */
final class TcFilterParser {
    private TcFilterParser() {}

    static TcFilter parse(MemorySegment segment, NlMsgHdr header) {
        if (header.length() < NlMsgHdr.SIZE + TcMsg.SIZE) {
            return TcFilter.MALFORMED;
        }
        TcMsg tc = new TcMsg(segment, header.payloadOffset());
        Attributes attributes = Attributes.parse(segment, header.payloadOffset() + TcMsg.SIZE, header.end());
        String kind = attributes.string(Tca.KIND);
        int target = "u32".equals(kind) ? redirectTarget(attributes.nested(Tca.OPTIONS).nested(Tca.U32_ACT)) : 0;
        return new TcFilter(tc.handle(), tc.info() >>> 16, tc.info() & 0xffff, kind == null ? "" : kind, target);
    }

    /** The target of the first mirred egress redirect in an action list (types 1.. are the order); 0 if none. */
    static int redirectTarget(Attributes actions) {
        for (int order = 1; order <= Tca.ACT_MAX_PRIO; order++) {
            int target = egressRedirectTarget(actions.nested(order));
            if (target > 0) {
                return target;
            }
        }
        return 0;
    }

    private static int egressRedirectTarget(Attributes action) {
        if (!"mirred".equals(action.string(Tca.ACT_KIND))) {
            return 0;
        }
        MemorySegment parms = action.nested(Tca.ACT_OPTIONS).value(Tca.MIRRED_PARMS);
        if (parms == null || parms.byteSize() < TcMirred.SIZE) {
            return 0;
        }
        TcMirred mirred = new TcMirred(parms, 0);
        return mirred.eaction() == Tca.MIRRED_EGRESS_REDIRECT ? mirred.ifindex() : 0;
    }
}
