package dev.nugator.link;

import dev.nugator.pairing.LinkSpec;
import dev.nugator.pairing.PodAttachment;
import dev.nugator.pairing.Side;
import java.util.List;
import java.util.Optional;

/**
 * Brings this node's end of a link whose peer runs on another node to its shape: a VXLAN device
 * in the pod under the link's interface name, with the link's VNI, this node's underlay address
 * and port, and the peer node as remote. Each node makes only its own end; the two meet through
 * the VNI. Like {@link VethReconciler} it looks before it acts and may run any number of times.
 */
final class VxlanReconciler {
    private final LinkKernel kernel;

    VxlanReconciler(LinkKernel kernel) {
        this.kernel = kernel;
    }

    /** Makes {@code side}'s end in {@code pod} a tunnel as {@code wanted} says; returns it for the ADD result. */
    List<PodEnd> reconcile(LinkSpec link, Side side, PodAttachment pod, VxlanEnd wanted) {
        var place = new Place.InPod(pod.netns(), link.end(side).ifname());
        var there = kernel.find(place);
        if (there.isPresent() && !isOurs(link, side, there.get(), wanted)) {
            throw LinkConflictException.nameTaken(place, there.get(), link);
        }
        // ends parked here were for a peer on this node; it runs elsewhere now (deleting one takes its pair with it)
        for (var s : Side.values()) {
            kernel.delete(new Place.Parked(ParkedNames.of(link.id(), s)));
        }
        var tunnel = there.flatMap(EndInfo::vxlan).filter(t -> t.sameTunnel(wanted));
        if (tunnel.isPresent()) {
            if (!there.get().alias().equals(Ownership.alias(link.id(), side))) {
                kernel.setAlias(place, Ownership.alias(link.id(), side));
            }
            if (wanted.remote().isPresent() && !wanted.remote().equals(tunnel.get().remote())) {
                kernel.setVxlanRemote(place, wanted.remote().get());
            }
        } else {
            if (there.isPresent()) {
                kernel.delete(place);
            }
            // a veth end turning into a tunnel keeps its MAC: the pod's neighbours need not relearn it
            var mac = link.end(side).mac().or(() -> there.map(EndInfo::mac).filter(m -> !m.isEmpty()));
            kernel.createVxlan(place, wanted, link.mtu(), mac, Ownership.alias(link.id(), side));
        }
        return configure(link, side, place);
    }

    /**
     * Keeps a tunnel end whose peer stopped running: it waits, as a parked end would, for the peer
     * to come back (on another node its remote is updated; on this node it becomes a veth).
     * Empty when the end in the pod is not such a tunnel.
     */
    Optional<List<PodEnd>> keepWaiting(LinkSpec link, Side side, PodAttachment pod) {
        var place = new Place.InPod(pod.netns(), link.end(side).ifname());
        var there = kernel.find(place).filter(e -> e.isVxlan() && Ownership.owns(e, link.id(), side));
        return there.map(e -> configure(link, side, place));
    }

    /** The pod of a tunnel end goes (its DEL): the end goes with it; the peer's node keeps its own end. */
    void removeLeaving(LinkSpec link, Side side, Place.InPod place) {
        try {
            kernel.find(place).filter(e -> e.isVxlan() && Ownership.owns(e, link.id(), side)).ifPresent(e -> kernel.delete(place));
        } catch (NetnsGoneException gone) {
            // its namespace took the end with it
        }
    }

    /** Marked for this side, or (after a crash between making and marking) an unmarked tunnel on this very VNI. */
    private static boolean isOurs(LinkSpec link, Side side, EndInfo end, VxlanEnd wanted) {
        if (Ownership.owns(end, link.id(), side)) {
            return true;
        }
        return end.alias().isEmpty() && end.vxlan().filter(t -> t.sameTunnel(wanted)).isPresent();
    }

    private List<PodEnd> configure(LinkSpec link, Side side, Place.InPod place) {
        var endpoint = link.end(side);
        kernel.configure(place, endpoint.addresses(), link.mtu(), endpoint.mac());
        return kernel.find(place).map(info -> List.of(new PodEnd(link.id(), endpoint, place, info))).orElse(List.of());
    }
}
