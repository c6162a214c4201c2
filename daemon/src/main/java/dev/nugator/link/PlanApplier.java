package dev.nugator.link;

import dev.nugator.netlink.Errno;
import dev.nugator.netlink.LinkInfo;
import dev.nugator.netlink.NetlinkException;
import dev.nugator.pairing.Endpoint;
import dev.nugator.pairing.LinkSpec;
import dev.nugator.pairing.PodAttachment;
import dev.nugator.pairing.Side;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Optional;

/**
 * Brings one link's devices on this node to its plan: each end here is a pod side in its pod and a
 * port in the panel; the ports are wired as the cable says and up exactly when the link is wired
 * through, so a pod side has carrier exactly when its peer can be reached. It looks before it acts:
 * applying a plan twice changes nothing, and it is safe after a crash at any point.
 *
 * <p>A pod side, once made, is only ever configured in place: whatever happens to the peer
 * happens to ports and tunnels in the panel.
 */
final class PlanApplier {
    /**
     * A port or tunnel as this pass knows it. {@code made}: this pass made it, so it is known to be
     * unwired and down; {@code qdisc}: it has its clsact qdisc (a port gets one as it is made, a
     * tunnel when it is first wired; a device found in the panel is taken to have one).
     */
    private record Device(String name, int index, boolean up, boolean made, boolean qdisc) {
        static Device found(String name, LinkInfo info) {
            return new Device(name, info.index(), info.adminUp(), false, true);
        }
    }

    private final PanelKernel kernel;
    private final Reaper reaper;

    PlanApplier(PanelKernel kernel, Reaper reaper) {
        this.kernel = kernel;
        this.reaper = reaper;
    }

    /**
     * Brings the ends here to the plan as {@code pass} says (see {@link Pass}): an end it does not
     * check is taken as its port shows it, which is all its wiring needs, so a pod's ADD costs its
     * peers no reads of their pods. Returns the ends now in pods here.
     */
    List<PodEnd> apply(LinkPlan plan, Pass pass) {
        var link = plan.link();
        var ports = new EnumMap<Side, Device>(Side.class);
        var ends = new ArrayList<PodEnd>();
        for (var side : Side.values()) {
            var pod = plan.here().get(side);
            if (pod == null) {
                if (pass.cleans()) {
                    kernel.deletePanelDevice(PanelNames.port(link.id(), side));   // a pod that moved away, or went
                }
            } else {
                var port = pass.checks(side) ? Optional.<Device>empty() : port(plan, side);
                ports.put(side, port.isPresent() ? port.get() : end(plan, side, pod, ends, pass));
            }
        }
        switch (plan.cable()) {
            case Cable.Local local -> {
                reaper.retire(PanelNames.tunnel(link.id()));
                connect(ports.get(Side.A), ports.get(Side.B));
                connect(ports.get(Side.B), ports.get(Side.A));
                ports.values().forEach(port -> bringUp(port, pass));
            }
            case Cable.Tunnel tunnel -> {
                var port = ports.get(tunnel.side());
                var device = tunnel(link, tunnel);
                connect(port, device);
                connect(device, port);
                bringUp(device, pass);
                bringUp(port, pass);
            }
            case Cable.Open open -> {
                reaper.retire(PanelNames.tunnel(link.id()));
                ports.values().forEach(this::disconnect);
            }
        }
        return ends;
    }

    /** The port of an end here as the panel shows it; empty when it is missing or its MTU is not the link's (then the end needs a full look). */
    private Optional<Device> port(LinkPlan plan, Side side) {
        String name = PanelNames.port(plan.link().id(), side);
        return kernel.port(name).filter(p -> "veth".equals(p.kind()) && p.mtu() == plan.mtu())
                .map(p -> Device.found(name, p));
    }

    /**
     * Finds or makes the end at {@code side} in {@code pod}, configured as the link says. For a pod
     * being added ({@code adding}) the end is made straight away; otherwise, and when the kernel
     * answers that a name is taken, the port is looked at first, and the pod only when its
     * interface name is taken (an end of ours that lost its port, or another plugin's interface): a
     * new pod's end costs one request, not three.
     */
    private Device end(LinkPlan plan, Side side, PodAttachment pod, List<PodEnd> ends, Pass pass) {
        var link = plan.link();
        var endpoint = link.end(side);
        String portName = PanelNames.port(link.id(), side);
        String mac = EndMac.of(link, side);
        if (pass.adding()) {
            try {
                var made = pass.made().get(portName);
                if (made == null) {
                    return make(plan, endpoint, pod, portName, mac, ends);
                }
                if (!made.isDone()) {
                    throw made.refusal();
                }
                ends.add(new PodEnd(link.id(), endpoint, pod.netns(), mac));
                return new Device(portName, made.value().linkIndex(), false, true, true);
            } catch (NetlinkException e) {
                if (!e.is(Errno.EEXIST)) {
                    throw e;
                }
                // there is something of that name, in the pod or in the panel: look
            }
        }
        var port = kernel.port(portName);
        if (port.isPresent()) {
            var podSide = kernel.podSide(pod.netns(), endpoint.ifname());
            if (podSide.isPresent() && arePeers(podSide.get(), port.get())) {
                var present = kernel.addresses(pod.netns(), endpoint.ifname());
                kernel.configure(pod.netns(), podSide.get(), endpoint.addresses(), present, plan.mtu(), mac);
                if (port.get().mtu() != plan.mtu()) {
                    kernel.setMtu(portName, plan.mtu());
                }
                ends.add(new PodEnd(link.id(), endpoint, pod.netns(), mac));
                return Device.found(portName, port.get());
            }
            kernel.deletePanelDevice(portName);   // an older container's end: it takes that pod side along
        }
        try {
            return make(plan, endpoint, pod, portName, mac, ends);
        } catch (NetlinkException e) {
            if (!e.is(Errno.EEXIST)) {
                throw e;
            }
            clearName(plan, side, pod);
            return make(plan, endpoint, pod, portName, mac, ends);
        }
    }

    /** The pod already has an interface of the end's name: ours (stale) goes, anyone else's is a conflict. */
    private void clearName(LinkPlan plan, Side side, PodAttachment pod) {
        var link = plan.link();
        String ifname = link.end(side).ifname();
        var podSide = kernel.podSide(pod.netns(), ifname);
        if (podSide.isPresent()) {
            if (!isOurs(podSide.get(), link, side)) {
                throw LinkConflictException.nameTaken(pod.netns(), ifname, podSide.get().kind(), link);
            }
            kernel.deletePodSide(pod.netns(), ifname);   // an end of ours that lost its port
        }
    }

    private Device make(LinkPlan plan, Endpoint endpoint, PodAttachment pod, String portName, String mac, List<PodEnd> ends) {
        var made = kernel.makeEnd(pod.netns(), endpoint.ifname(), portName, plan.mtu(), mac);
        kernel.configure(pod.netns(), made, endpoint.addresses(), List.of(), plan.mtu(), mac);
        ends.add(new PodEnd(plan.link().id(), endpoint, pod.netns(), mac));
        // a veth's IFLA_LINK is its peer's index, in the peer's namespace: the port's
        return new Device(portName, made.linkIndex(), false, true, true);
    }

    /** The link's VXLAN device here, as the tunnel says: kept when only its remote or MTU differ. */
    private Device tunnel(LinkSpec link, Cable.Tunnel wanted) {
        String name = PanelNames.tunnel(link.id());
        // a retired tunnel is taken back first; one its batch removed meanwhile is not there
        var there = kernel.port(name).filter(t -> t.group() != PanelKernel.RETIRED_GROUP || kernel.revivePanelDevice(name));
        var same = there.map(PlanApplier::tunnelOf).filter(t -> t.sameTunnel(wanted.end()));
        if (same.isPresent()) {
            if (!same.get().remote().equals(wanted.end().remote())) {
                kernel.setTunnelRemote(name, wanted.end().remote().orElseThrow());
            }
            if (there.get().mtu() != wanted.mtu()) {
                kernel.setMtu(name, wanted.mtu());
            }
            return Device.found(name, there.get());
        }
        if (there.isPresent()) {
            kernel.deletePanelDevice(name);
        }
        kernel.makeTunnel(name, wanted.end(), wanted.mtu());
        var made = kernel.port(name).orElseThrow(() -> new IllegalStateException(name + " vanished from the panel as it was made"));
        return new Device(name, made.index(), made.adminUp(), true, false);
    }

    /** Replacing a filter with itself is harmless and costs what reading it first would. */
    private void connect(Device from, Device to) {
        kernel.wire(from.index(), to.index(), !from.qdisc());
    }

    private void disconnect(Device port) {
        if (!port.made()) {
            kernel.unwire(port.index());
            setUp(port, false);
        }
    }

    /** Up now, or at the end of the ADD that this pass is part of. */
    private void bringUp(Device device, Pass pass) {
        if (!device.up() && pass.adding()) {
            pass.upLater().add(device.name());
        } else {
            setUp(device, true);
        }
    }

    private void setUp(Device device, boolean up) {
        if (device.up() != up) {
            kernel.setUp(device.name(), up);
        }
    }

    private static boolean arePeers(LinkInfo podSide, LinkInfo port) {
        return "veth".equals(podSide.kind()) && "veth".equals(port.kind())
                && podSide.linkIndex() == port.index() && port.linkIndex() == podSide.index();
    }

    /**
     * Made by nugator: in its group (this version), or marked with this link side's alias (an end an
     * earlier version made, replaced once by a panel end).
     */
    private static boolean isOurs(LinkInfo podSide, LinkSpec link, Side side) {
        return podSide.group() == PanelKernel.POD_SIDE_GROUP || OldEnds.isMarked(podSide, link.id(), side);
    }

    private static VxlanEnd tunnelOf(LinkInfo device) {
        var v = device.vxlan();
        return v == null || v.local() == null ? null
                : new VxlanEnd(v.vni(), v.local(), Optional.ofNullable(v.remote()), v.port());
    }
}
