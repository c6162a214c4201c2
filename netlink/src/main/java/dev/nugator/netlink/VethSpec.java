package dev.nugator.netlink;

/**
 * A veth pair to create. Each end can be placed in its own namespace by the one request (no
 * namespace switch); a null namespace means the namespace of the {@link RtNetlink} socket that
 * creates it. mtu 0 keeps the kernel's default; null MACs let the kernel pick random ones. Each end
 * can join an interface group (0: the default group), so that {@link RtNetlink#deleteGroup} removes
 * many pairs at once, and can be created admin-up, so that its carrier is on as soon as
 * {@link RtNetlink#createVeth} returns.
 *
 * <pre>{@code VethSpec.of("in1", "np1234").inNamespace(podA).peerIn(podB).withMtu(9000).withAdminUp(true, true)}</pre>
 */
public record VethSpec(String name, NetNamespace netns, String peerName, NetNamespace peerNetns,
                       int mtu, String mac, String peerMac, int group, int peerGroup,
                       boolean adminUp, boolean peerAdminUp) {
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
        requireGroup("group", group);
        requireGroup("peerGroup", peerGroup);
    }

    public static VethSpec of(String name, String peerName) {
        return new VethSpec(name, null, peerName, null, 0, null, null, 0, 0, false, false);
    }

    public VethSpec inNamespace(NetNamespace namespace) {
        return new VethSpec(name, namespace, peerName, peerNetns, mtu, mac, peerMac,
                group, peerGroup, adminUp, peerAdminUp);
    }

    public VethSpec peerIn(NetNamespace namespace) {
        return new VethSpec(name, netns, peerName, namespace, mtu, mac, peerMac,
                group, peerGroup, adminUp, peerAdminUp);
    }

    /** The MTU of both ends. */
    public VethSpec withMtu(int newMtu) {
        return new VethSpec(name, netns, peerName, peerNetns, newMtu, mac, peerMac,
                group, peerGroup, adminUp, peerAdminUp);
    }

    public VethSpec withMac(String newMac) {
        return new VethSpec(name, netns, peerName, peerNetns, mtu, newMac, peerMac,
                group, peerGroup, adminUp, peerAdminUp);
    }

    public VethSpec withPeerMac(String newPeerMac) {
        return new VethSpec(name, netns, peerName, peerNetns, mtu, mac, newPeerMac,
                group, peerGroup, adminUp, peerAdminUp);
    }

    /** The interface group of the first end (IFLA_GROUP); 0 is the default group. */
    public VethSpec withGroup(int newGroup) {
        return new VethSpec(name, netns, peerName, peerNetns, mtu, mac, peerMac,
                newGroup, peerGroup, adminUp, peerAdminUp);
    }

    /** The interface group of the peer. */
    public VethSpec withPeerGroup(int newPeerGroup) {
        return new VethSpec(name, netns, peerName, peerNetns, mtu, mac, peerMac,
                group, newPeerGroup, adminUp, peerAdminUp);
    }

    /** Which ends are admin-up when createVeth returns; both up means carrier at once. */
    public VethSpec withAdminUp(boolean end, boolean peer) {
        return new VethSpec(name, netns, peerName, peerNetns, mtu, mac, peerMac, group, peerGroup, end, peer);
    }

    /** The same pair described from the other end: the kernel only brings up the first end of a request. */
    VethSpec swapped() {
        return new VethSpec(peerName, peerNetns, name, netns, mtu, peerMac, mac,
                peerGroup, group, peerAdminUp, adminUp);
    }

    private static void requireGroup(String field, int group) {
        if (group < 0) {
            throw new IllegalArgumentException(field + ": must be 0 (default group) or positive, got " + group);
        }
    }
}
