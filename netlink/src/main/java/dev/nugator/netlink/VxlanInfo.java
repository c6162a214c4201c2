package dev.nugator.netlink;

import java.net.InetAddress;

/**
 * A VXLAN device's settings as the kernel reports them.
 *
 * @param remote        null when none is set
 * @param local         null when none is set
 * @param underlayIndex 0 when none is set
 * @param port          the UDP destination port (sent big-endian, read back as a plain number)
 */
public record VxlanInfo(int vni, InetAddress remote, InetAddress local, int underlayIndex, int port,
                        boolean learning) {}
