package dev.nugator.netlink;

/** rtnetlink message types (linux/rtnetlink.h). */
final class Rtm {
    static final int NEWLINK = 16;
    static final int DELLINK = 17;
    static final int GETLINK = 18;
    static final int NEWADDR = 20;
    static final int DELADDR = 21;
    static final int GETADDR = 22;

    private Rtm() {}
}
