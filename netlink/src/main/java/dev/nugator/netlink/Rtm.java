package dev.nugator.netlink;

/** rtnetlink message types (linux/rtnetlink.h): links, addresses, qdiscs and tc filters. */
final class Rtm {
    static final int NEWLINK = 16;
    static final int DELLINK = 17;
    static final int GETLINK = 18;
    static final int NEWADDR = 20;
    static final int DELADDR = 21;
    static final int GETADDR = 22;
    static final int NEWQDISC = 36;
    static final int DELQDISC = 37;
    static final int GETQDISC = 38;
    static final int NEWTFILTER = 44;
    static final int DELTFILTER = 45;
    static final int GETTFILTER = 46;

    private Rtm() {}
}
