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

    static boolean owns(EndInfo end, String linkId, Side side) {
        return end.isVeth() && end.alias().equals(alias(linkId, side));
    }
}
