package dev.nugator.link;

import dev.nugator.pairing.Side;

/**
 * nugator marks each end it makes with an interface alias naming its link and side. A pod may
 * hold an interface of the same name made by another plugin (a delegate's eth0): only a marked
 * end is ever moved, reused or deleted.
 */
public final class Ownership {
    static final String PREFIX = "nugator:";

    private Ownership() {}

    public static String alias(String linkId, Side side) {
        return PREFIX + linkId + ":" + side;
    }

    static boolean isMark(String alias) {
        return alias.startsWith(PREFIX);
    }

    /** The link id in a mark, e.g. "52b71da6ea4e9a16" of "nugator:52b71da6ea4e9a16:A". */
    static String linkOf(String mark) {
        var rest = mark.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        return colon < 0 ? rest : rest.substring(0, colon);
    }

    /** Whether the end carries this link side's mark (a veth end, or a cross-node VXLAN end). */
    static boolean owns(EndInfo end, String linkId, Side side) {
        return (end.isVeth() || end.isVxlan()) && end.alias().equals(alias(linkId, side));
    }
}
