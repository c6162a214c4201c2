package dev.nugator.link;

import dev.nugator.netlink.NetnsPath;
import dev.nugator.pairing.LinkSpec;

/** Something that is not ours stands where a link end must go (an interface of that name from another plugin). */
public final class LinkConflictException extends RuntimeException {
    public LinkConflictException(String message) {
        super(message);
    }

    /** The pod already has an interface of the link's name that nugator did not make. */
    static LinkConflictException nameTaken(NetnsPath netns, String ifname, String kind, LinkSpec link) {
        return new LinkConflictException(netns + " already has an interface " + ifname + " ("
                + (kind.isEmpty() ? "a device" : kind) + " not made by nugator), so link " + link.label() + " cannot use that name");
    }
}
