package dev.nugator.link;

/** Something that is not ours stands where a link end must go (an interface of that name from another plugin). */
public final class LinkConflictException extends RuntimeException {
    public LinkConflictException(String message) {
        super(message);
    }

    /** The pod already has an interface of the link's name that nugator did not make for this link. */
    static LinkConflictException nameTaken(Place.InPod place, EndInfo there, dev.nugator.pairing.LinkSpec link) {
        return new LinkConflictException(place.netns() + " already has an interface " + place.name() + " ("
                + (there.kind().isEmpty() ? "a device" : there.kind()) + " not made for this link), so link "
                + link.label() + " cannot use that name");
    }
}
