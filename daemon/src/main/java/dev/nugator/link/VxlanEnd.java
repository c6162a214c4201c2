package dev.nugator.link;

import java.net.InetAddress;
import java.util.Optional;

/**
 * The tunnel of one cross-node end: the link's VNI, this node's underlay address and VXLAN port,
 * and the peer node's address once it is known.
 */
public record VxlanEnd(int vni, InetAddress local, Optional<InetAddress> remote, int port) {

    /** Same VNI, local address and port: the device can stay, at most its remote changes. */
    boolean sameTunnel(VxlanEnd other) {
        return vni == other.vni && port == other.port && local.equals(other.local);
    }

    @Override
    public String toString() {
        return "vni " + vni + " " + local.getHostAddress() + " -> " + remote.map(InetAddress::getHostAddress).orElse("(no remote yet)")
                + " port " + port;
    }
}
