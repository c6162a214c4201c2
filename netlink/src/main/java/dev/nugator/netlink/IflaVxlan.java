package dev.nugator.netlink;

/** VXLAN attributes inside IFLA_INFO_DATA (linux/if_link.h). Addresses and the port are big-endian. */
final class IflaVxlan {
    static final int ID = 1;
    /** Unicast: the remote end; multicast: the group. */
    static final int GROUP = 2;
    /** The underlay device's index. */
    static final int LINK = 3;
    static final int LOCAL = 4;
    static final int TTL = 5;
    static final int LEARNING = 7;
    static final int PORT = 15;
    static final int GROUP6 = 16;
    static final int LOCAL6 = 17;

    private IflaVxlan() {}
}
