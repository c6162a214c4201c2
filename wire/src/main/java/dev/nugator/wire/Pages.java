package dev.nugator.wire;

/**
 * How a long control answer (the status of tens of thousands of links) is cut into replies that
 * each fit one frame, and how nugatorctl asks for the rest. A request carries {@link #OFFSET}, the
 * first entry it wants; a reply that stops before the last entry carries {@link #NEXT}, the offset
 * to ask for next; every reply carries the {@link #REVISION} of the links it was cut from, so that
 * pages of two different states are never joined into one answer.
 */
public final class Pages {
    public static final String OFFSET = "offset";
    public static final String NEXT = "next";
    public static final String REVISION = "revision";
    /** What the keys around a page's entries may take (names, the page's own fields). */
    static final int WRAPPING = 64 * 1024;
    /** Room for the entries of one page. */
    public static final int ROOM = ShimReply.MAX_STDOUT - WRAPPING;

    private Pages() {}

    /**
     * Where the page that starts at {@code offset} ends (exclusive): the entries, of {@code sizes}
     * bytes each and a comma between two, that fit {@code room}; always at least one, so that an
     * entry larger than the room still goes, alone, and the pages always advance.
     */
    public static int end(int[] sizes, int offset, int room) {
        if (offset < 0 || offset > sizes.length) {
            throw new IllegalArgumentException("offset " + offset + " is outside 0.." + sizes.length);
        }
        int end = offset;
        long used = 0;
        while (end < sizes.length && (end == offset || used + 1 + sizes[end] <= room)) {
            used += (end == offset ? 0 : 1) + sizes[end];
            end++;
        }
        return end;
    }
}
