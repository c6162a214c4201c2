package dev.nugator.link;

import dev.nugator.pairing.LinkSpec;

/** A link could not be brought to the kernel; the message names the link and the kernel's reason. */
public final class LinkFailure extends RuntimeException {
    public LinkFailure(LinkSpec link, Throwable cause) {
        super("link " + link.label() + ": " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()), cause);
    }
}
