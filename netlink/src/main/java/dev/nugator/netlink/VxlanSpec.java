package dev.nugator.netlink;

import java.net.InetAddress;

/**
 * A VXLAN device to create. {@code remote} may be null when the far end is not known yet (set it
 * later with {@link RtNetlink#setVxlanRemote}); {@code underlayIndex} 0 lets the kernel route; port
 * is the UDP destination port (default 4789). Learning stays on by default, as with iproute2.
 *
 * <p>{@code netns} places the device in another namespace in the same request (null: the
 * socket's). Its UDP socket stays in the namespace of the {@link RtNetlink} that creates it, so a
 * node can make a pod's VXLAN end right inside the pod, over the node's underlay, without a move.
 * {@code mac} null lets the kernel pick one.
 */
public record VxlanSpec(String name, int vni, InetAddress remote, InetAddress local,
                        int underlayIndex, int port, int mtu, boolean learning, NetNamespace netns, String mac) {
    public static final int DEFAULT_PORT = 4789;
    public static final int MAX_VNI = (1 << 24) - 1;

    public VxlanSpec {
        InterfaceNames.requireValid("name", name);
        if (vni < 0 || vni > MAX_VNI) {
            throw new IllegalArgumentException("vni: must be 0.." + MAX_VNI + ", got " + vni);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: must be 1..65535, got " + port);
        }
        if (mtu < 0 || underlayIndex < 0) {
            throw new IllegalArgumentException("mtu and underlayIndex: must not be negative");
        }
        if (remote != null && local != null && remote.getClass() != local.getClass()) {
            throw new IllegalArgumentException("remote and local: must both be IPv4 or both IPv6");
        }
        if (mac != null) {
            MacAddress.parse("mac", mac);
        }
    }

    public static VxlanSpec of(String name, int vni) {
        return new VxlanSpec(name, vni, null, null, 0, DEFAULT_PORT, 0, true, null, null);
    }

    public VxlanSpec withRemote(InetAddress newRemote) {
        return new VxlanSpec(name, vni, newRemote, local, underlayIndex, port, mtu, learning, netns, mac);
    }

    public VxlanSpec withLocal(InetAddress newLocal) {
        return new VxlanSpec(name, vni, remote, newLocal, underlayIndex, port, mtu, learning, netns, mac);
    }

    public VxlanSpec withUnderlay(int newUnderlayIndex) {
        return new VxlanSpec(name, vni, remote, local, newUnderlayIndex, port, mtu, learning, netns, mac);
    }

    public VxlanSpec withPort(int newPort) {
        return new VxlanSpec(name, vni, remote, local, underlayIndex, newPort, mtu, learning, netns, mac);
    }

    public VxlanSpec withMtu(int newMtu) {
        return new VxlanSpec(name, vni, remote, local, underlayIndex, port, newMtu, learning, netns, mac);
    }

    public VxlanSpec withLearning(boolean newLearning) {
        return new VxlanSpec(name, vni, remote, local, underlayIndex, port, mtu, newLearning, netns, mac);
    }

    public VxlanSpec inNamespace(NetNamespace namespace) {
        return new VxlanSpec(name, vni, remote, local, underlayIndex, port, mtu, learning, namespace, mac);
    }

    public VxlanSpec withMac(String newMac) {
        return new VxlanSpec(name, vni, remote, local, underlayIndex, port, mtu, learning, netns, newMac);
    }
}
