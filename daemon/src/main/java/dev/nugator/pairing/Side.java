package dev.nugator.pairing;

/** The two ends of a link. A is the end that sorts first, so that a link has one identity however it was written. */
public enum Side {
    A, B;

    public Side other() {
        return this == A ? B : A;
    }
}
