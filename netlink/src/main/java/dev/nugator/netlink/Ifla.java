package dev.nugator.netlink;

/** Link attribute types (linux/if_link.h), the nested IFLA_INFO_* ones and veth's peer. */
final class Ifla {
    static final int ADDRESS = 1;
    static final int IFNAME = 3;
    static final int MTU = 4;
    /** For a veth: the peer's index (in the peer's namespace, see LINK_NETNSID). */
    static final int LINK = 5;
    static final int MASTER = 10;
    static final int OPERSTATE = 16;
    static final int IFALIAS = 20;
    static final int LINKINFO = 18;
    /** The interface group (u32, 0 = the default group): lets one RTM_DELLINK remove a whole group. */
    static final int GROUP = 27;
    static final int NET_NS_FD = 28;
    static final int EXT_MASK = 29;
    static final int CARRIER = 33;
    static final int LINK_NETNSID = 37;

    static final int INFO_KIND = 1;
    static final int INFO_DATA = 2;

    static final int VETH_INFO_PEER = 1;

    /** IFLA_EXT_MASK bit: leave the counters out of replies; we never read them. */
    static final int RTEXT_FILTER_SKIP_STATS = 1 << 3;

    private Ifla() {}
}
