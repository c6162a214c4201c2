package dev.nugator.link;

import dev.nugator.netlink.AddressInfo;
import dev.nugator.netlink.Errno;
import dev.nugator.netlink.LinkInfo;
import dev.nugator.netlink.NetNamespace;
import dev.nugator.netlink.NetlinkException;
import dev.nugator.netlink.NetnsPath;
import dev.nugator.netlink.RtNetlink;
import dev.nugator.netlink.VethSpec;
import dev.nugator.netlink.VxlanSpec;
import dev.nugator.pairing.IfAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The link engine's kernel, over rtnetlink: pod sides in pods, ports and tunnels in the panel, tc
 * wiring between them. Three kinds of socket: the node's (nugatord's own namespace, where VXLAN
 * sockets belong), the panel's, and one per pod namespace, opened once per session (opening it is
 * the only namespace switch, done by the netlink layer on its own threads).
 */
public final class PanelKernel implements AutoCloseable {
    /**
     * The interface group of every pod side nugator makes ("nug"): set in the request that makes
     * it, so an end is never there unmarked, and a pod's ends go in one request at its DEL.
     */
    public static final int POD_SIDE_GROUP = 0x6e7567;
    /**
     * The interface group of panel devices no link needs any more ("nuh"): retired there, down, and
     * removed all together in one request ({@link Reaper}), so that they wait for the kernel's RCU
     * grace periods once, not once each.
     */
    public static final int RETIRED_GROUP = 0x6e7568;

    private final RtNetlink node;
    private final Panel panel;

    /** A kernel acting from the calling thread's namespace (nugatord's) on {@code panel}. */
    public PanelKernel(Panel panel) {
        this(RtNetlink.open(), panel);
    }

    /** A kernel acting from {@code node}'s namespace: VXLAN sockets go there. */
    public PanelKernel(RtNetlink node, Panel panel) {
        this.node = node;
        this.panel = panel;
    }

    Panel panel() {
        return panel;
    }

    // -- reading --------------------------------------------------------------------------------

    Optional<LinkInfo> port(String name) {
        return panel.rtnl().link(name);
    }

    List<LinkInfo> panelDevices() {
        return panel.rtnl().links();
    }

    Optional<LinkInfo> podSide(NetnsPath netns, String ifname) {
        return inPod(netns, rt -> rt.link(ifname));
    }

    /** The pod side's addresses but IPv6 link-local ones, which the kernel makes itself. */
    List<IfAddress> addresses(NetnsPath netns, String ifname) {
        return inPod(netns, rt -> globalAddresses(rt, ifname));
    }

    /** Where a port's (or tunnel's) ingress is redirected to; empty when it is not wired. */
    OptionalInt wiredTo(int index) {
        return panel.rtnl().ingressRedirect(index);
    }

    // -- ends -----------------------------------------------------------------------------------

    /**
     * One end in one request: the pod side in the pod under its final name, up, with MTU, MAC and
     * nugator's group; the port in the panel, down until it is wired, with its clsact qdisc, so that
     * wiring it is one request. Returns the pod side as made (its IFLA_LINK is the port's index).
     */
    LinkInfo makeEnd(NetnsPath netns, String ifname, String port, int mtu, String mac) {
        var made = inPod(netns, rt -> rt.createVethEchoed(endSpec(ifname, port, mtu, mac)));
        panel.rtnl().addClsact(made.linkIndex());
        return made;
    }

    /** An end as it is made: the pod side under its final name, up, with MTU, MAC and nugator's group; the port in the panel, down. */
    VethSpec endSpec(String ifname, String port, int mtu, String mac) {
        return VethSpec.of(ifname, port).peerIn(panel.namespace()).withMtu(mtu).withMac(mac).withGroup(POD_SIDE_GROUP).withAdminUp(true, false);
    }

    /** Brings a pod side to exactly these global addresses, this MTU and MAC, and up; {@code current} is how it is now. */
    void configure(NetnsPath netns, LinkInfo current, List<IfAddress> wanted, List<IfAddress> present, int mtu, String mac) {
        inPod(netns, rt -> {
            String name = current.name();
            if (current.mtu() != mtu) {
                rt.setMtu(name, mtu);
            }
            if (!mac.equalsIgnoreCase(current.mac())) {
                rt.setMac(name, mac);
            }
            for (var address : wanted) {
                if (!present.contains(address)) {
                    rt.addAddress(current.index(), address.address(), address.prefixLength());
                }
            }
            for (var address : present) {
                if (!wanted.contains(address)) {
                    rt.removeAddress(name, address.address(), address.prefixLength());
                }
            }
            if (!current.adminUp()) {
                rt.setUp(name);
            }
            return null;
        });
    }

    /** Deletes an interface in a pod (a veth takes its port with it); a missing one is not an error. */
    void deletePodSide(NetnsPath netns, String ifname) {
        try {
            inPod(netns, rt -> {
                deleteIfPresent(rt, ifname);
                return null;
            });
        } catch (NetnsGoneException gone) {
            // the namespace took it with it
        }
    }

    /** Every pod side of nugator's in the pod, in one request; their ports go with them. */
    void deletePodSides(NetnsPath netns) {
        try {
            inPod(netns, rt -> {
                rt.deleteGroup(POD_SIDE_GROUP);
                return null;
            });
        } catch (NetnsGoneException gone) {
            // the namespace took them with it
        }
    }

    // -- the panel ------------------------------------------------------------------------------

    /**
     * A link's VXLAN device, made from the node's namespace straight into the panel: its UDP socket
     * stays on the node's underlay, the device is the panel's. Down until it is wired.
     */
    void makeTunnel(String name, VxlanEnd tunnel, int mtu) {
        var spec = VxlanSpec.of(name, tunnel.vni()).withLocal(tunnel.local()).withPort(tunnel.port()).withLearning(false)
                .withUnderlay(underlayIndex(tunnel.local())).withMtu(mtu).inNamespace(panel.namespace());
        node.createVxlan(tunnel.remote().map(spec::withRemote).orElse(spec));
    }

    void setTunnelRemote(String name, InetAddress remote) {
        panel.rtnl().setVxlanRemote(name, remote);
    }

    /**
     * Everything arriving at {@code index} leaves through {@code target}: the filter is replaced in
     * place, in one request when the device has its clsact qdisc; {@code addQdisc} when it is known
     * to have none yet (a tunnel just made). A device thought to have one that has not (a port an
     * earlier version made) gets it on the kernel's EINVAL.
     */
    void wire(int index, int target, boolean addQdisc) {
        if (addQdisc) {
            panel.rtnl().addClsact(index);
            panel.rtnl().redirectIngress(index, target);
            return;
        }
        try {
            panel.rtnl().redirectIngress(index, target);
        } catch (NetlinkException e) {
            if (!e.is(Errno.EINVAL)) {
                throw e;
            }
            panel.rtnl().addClsact(index);   // "Parent Qdisc doesn't exists": a device not wired before
            panel.rtnl().redirectIngress(index, target);
        }
    }

    /** Takes a device's wiring away; a device that has none is not an error. */
    void unwire(int index) {
        panel.rtnl().removeIngressRedirect(index);
    }

    void setUp(String name, boolean up) {
        if (up) {
            panel.rtnl().setUp(name);
        } else {
            panel.rtnl().setDown(name);
        }
    }

    void setMtu(String name, int mtu) {
        panel.rtnl().setMtu(name, mtu);
    }

    /** Retires a panel device (down, in the retired group) for the {@link Reaper} to remove; false when there is none. */
    boolean retirePanelDevice(String name) {
        return panel.rtnl().setGroup(name, RETIRED_GROUP, false);
    }

    /** Takes a retired panel device back (default group, down); false when it was removed meanwhile. */
    boolean revivePanelDevice(String name) {
        return panel.rtnl().setGroup(name, 0, false);
    }

    /** Removes every retired panel device, in one request. */
    void deleteRetiredPanelDevices() {
        panel.rtnl().deleteGroup(RETIRED_GROUP);
    }

    /** Deletes a port (its pod side goes with it) or a tunnel; a missing one is not an error. */
    void deletePanelDevice(String name) {
        deleteIfPresent(panel.rtnl(), name);
    }

    /** Interfaces an earlier nugator left in its own namespace (ends parked there): for sweeping. */
    List<LinkInfo> nodeDevices() {
        return node.links();
    }

    void deleteNodeDevice(String name) {
        deleteIfPresent(node, name);
    }

    /**
     * The node's interface holding its underlay address: tied to it, a tunnel leaves through it. 0
     * (let routing choose) when the address is on no interface here.
     */
    private int underlayIndex(InetAddress local) {
        return node.indexHolding(local).orElse(0);
    }

    private static void deleteIfPresent(RtNetlink rt, String name) {
        rt.deleteLinkIfPresent(name);
    }

    private static List<IfAddress> globalAddresses(RtNetlink rt, String name) {
        var result = new ArrayList<IfAddress>();
        for (AddressInfo address : rt.addresses(name)) {
            if (!address.address().isLinkLocalAddress()) {
                result.add(new IfAddress(address.address(), address.prefixLength()));
            }
        }
        return result;
    }

    // -- pod sockets ----------------------------------------------------------------------------

    /** The calling thread's open pod sockets, while it holds a session. */
    private static final ThreadLocal<Map<NetnsPath, RtNetlink>> SESSION = new ThreadLocal<>();

    /**
     * Lets the calling thread reuse what it opens into pod namespaces until the session is closed:
     * a pod with many links then costs one namespace switch, not several per link. Nothing may
     * outlive the session (an open socket keeps a dead pod's namespace alive).
     */
    Session session() {
        if (SESSION.get() != null) {
            return () -> { };
        }
        var sockets = new HashMap<NetnsPath, RtNetlink>();
        SESSION.set(sockets);
        return () -> {
            SESSION.remove();
            sockets.values().forEach(RtNetlink::close);
        };
    }

    /** See {@link #session()}. */
    interface Session extends AutoCloseable {
        @Override
        void close();
    }

    /** Runs {@code work} on a socket in the pod's namespace (the session's, when one is held). */
    static <T> T inPod(NetnsPath netns, Function<RtNetlink, T> work) {
        var session = SESSION.get();
        if (session == null) {
            try (var rt = openIn(netns)) {
                return work.apply(rt);
            }
        }
        var rt = session.get(netns);
        if (rt == null) {
            rt = openIn(netns);
            session.put(netns, rt);
        }
        return work.apply(rt);
    }

    private static RtNetlink openIn(NetnsPath netns) {
        if (!netns.exists()) {
            throw new NetnsGoneException(netns.toString(), null);
        }
        try (NetNamespace ns = netns.open()) {
            return RtNetlink.openIn(ns);
        } catch (NetlinkException | IllegalArgumentException e) {
            throw new NetnsGoneException(netns.toString(), e);
        }
    }

    @Override
    public void close() {
        node.close();
    }
}
