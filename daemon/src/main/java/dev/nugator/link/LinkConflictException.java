package dev.nugator.link;

/** Something that is not ours stands where a link end must go (an interface of that name from another plugin). */
public final class LinkConflictException extends RuntimeException {
    public LinkConflictException(String message) {
        super(message);
    }
}
