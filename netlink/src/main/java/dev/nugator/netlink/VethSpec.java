package dev.nugator.netlink;

/**
 * A veth pair to create. Each end can be placed in its own namespace by the one request (no
 * namespace switch); a null namespace means the namespace of the {@link RtNetlink} socket that
 * creates it. mtu 0 keeps the kernel's default; null MACs let the kernel pick random ones.
 *
 * <pre>{@code VethSpec.of("in1", "np1234").inNamespace(podA).peerIn(podB).withMtu(9000)}</pre>
 */
public record VethSpec(String name, NetNamespace netns, String peerName, NetNamespace peerNetns,
                       int mtu, String mac, String peerMac) {
    public VethSpec {
        InterfaceNames.requireValid("name", name);
        InterfaceNames.requireValid("peerName", peerName);
        if (mtu < 0) {
            throw new IllegalArgumentException("mtu: must be 0 (kernel default) or positive, got " + mtu);
        }
        if (mac != null) {
            MacAddress.parse("mac", mac);
        }
        if (peerMac != null) {
            MacAddress.parse("peerMac", peerMac);
        }
    }

    public static VethSpec of(String name, String peerName) {
        return new VethSpec(name, null, peerName, null, 0, null, null);
    }

    public VethSpec inNamespace(NetNamespace namespace) {
        return new VethSpec(name, namespace, peerName, peerNetns, mtu, mac, peerMac);
    }

    public VethSpec peerIn(NetNamespace namespace) {
        return new VethSpec(name, netns, peerName, namespace, mtu, mac, peerMac);
    }

    /** The MTU of both ends. */
    public VethSpec withMtu(int newMtu) {
        return new VethSpec(name, netns, peerName, peerNetns, newMtu, mac, peerMac);
    }

    public VethSpec withMac(String newMac) {
        return new VethSpec(name, netns, peerName, peerNetns, mtu, newMac, peerMac);
    }

    public VethSpec withPeerMac(String newPeerMac) {
        return new VethSpec(name, netns, peerName, peerNetns, mtu, mac, newPeerMac);
    }
}
