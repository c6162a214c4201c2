package dev.nugator.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The VXLAN attributes inside IFLA_INFO_DATA, both ways. Addresses go as raw bytes (network
 * order); the port is the one big-endian integer.
 */
final class VxlanAttributes {
    private VxlanAttributes() {}

    static void write(MessageWriter w, VxlanSpec spec) {
        w.u32(IflaVxlan.ID, spec.vni());
        if (spec.remote() != null) {
            writeRemote(w, spec.remote());
        }
        if (spec.local() != null) {
            w.bytes(spec.local() instanceof Inet4Address ? IflaVxlan.LOCAL : IflaVxlan.LOCAL6,
                    spec.local().getAddress());
        }
        if (spec.underlayIndex() > 0) {
            w.u32(IflaVxlan.LINK, spec.underlayIndex());
        }
        w.u16BigEndian(IflaVxlan.PORT, spec.port());
        w.u8(IflaVxlan.LEARNING, spec.learning() ? 1 : 0);
    }

    static void writeRemote(MessageWriter w, InetAddress remote) {
        w.bytes(remote instanceof Inet4Address ? IflaVxlan.GROUP : IflaVxlan.GROUP6, remote.getAddress());
    }

    static VxlanInfo read(Attributes data) {
        return new VxlanInfo(
                data.u32(IflaVxlan.ID, 0),
                address(data, IflaVxlan.GROUP, IflaVxlan.GROUP6),
                address(data, IflaVxlan.LOCAL, IflaVxlan.LOCAL6),
                data.u32(IflaVxlan.LINK, 0),
                data.u16BigEndian(IflaVxlan.PORT, 0),
                data.u8(IflaVxlan.LEARNING, 0) != 0);
    }

    /** The v4 or v6 attribute, whichever is present; null when neither is or it is all zeros. */
    private static InetAddress address(Attributes data, int v4, int v6) {
        byte[] bytes = data.has(v4) ? data.bytes(v4) : data.bytes(v6);
        if (bytes == null || isZero(bytes)) {
            return null;
        }
        return InetAddresses.of(bytes);
    }

    private static boolean isZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
