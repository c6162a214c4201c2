package dev.nugator.netlink;

/**
 * One network interface as the kernel reports it.
 *
 * @param kind        the IFLA_INFO_KIND ("veth", "vxlan", "bridge", ...); empty for devices
 *                    without one, such as lo
 * @param mac         lower-case {@code aa:bb:..}; empty when the device has no hardware address
 * @param adminUp     IFF_UP: set up by someone
 * @param carrier     IFLA_CARRIER (IFF_LOWER_UP when absent): for a veth, both ends are up
 * @param operState   RFC 2863 state as iproute2 prints it: UP, DOWN, LOWERLAYERDOWN, UNKNOWN, ...
 * @param linkIndex   IFLA_LINK, 0 when absent: for a veth the peer's index, counted in the peer's
 *                    namespace (see linkNetnsId)
 * @param linkNetnsId IFLA_LINK_NETNSID, -1 when the peer is in this same namespace
 * @param masterIndex IFLA_MASTER, 0 when not enslaved
 * @param vxlan       the VXLAN settings, null for other kinds
 * @param alias       IFLA_IFALIAS, empty when unset: a free-text label that moves with the device
 * @param group       IFLA_GROUP, the interface group; 0 (the default group) when absent
 */
public record LinkInfo(int index, String name, String kind, String mac, int mtu, boolean adminUp,
                       boolean carrier, String operState, int linkIndex, int linkNetnsId,
                       int masterIndex, VxlanInfo vxlan, String alias, int group) {}
