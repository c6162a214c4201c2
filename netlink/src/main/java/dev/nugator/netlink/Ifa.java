package dev.nugator.netlink;

/** Address attribute types (linux/if_addr.h). */
final class Ifa {
    /** The prefix address (the peer's on point-to-point links); the only one IPv6 sends back. */
    static final int ADDRESS = 1;
    /** The interface's own address (IPv4). */
    static final int LOCAL = 2;
    static final int LABEL = 3;
    /** All IFA_F_* flags as u32; overrides ifa_flags, whose byte cannot hold the newer ones. */
    static final int FLAGS = 8;

    private Ifa() {}
}
