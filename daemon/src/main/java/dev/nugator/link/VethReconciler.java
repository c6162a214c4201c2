package dev.nugator.link;

import dev.nugator.pairing.LinkSpec;
import dev.nugator.pairing.PodAttachment;
import dev.nugator.pairing.Side;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Brings one link whose pods are on this node to the shape its attachments ask for: each present
 * pod holds its end under the link's interface name, configured; each absent pod's end waits
 * parked in nugatord's namespace; with both pods gone nothing remains. It looks before it acts,
 * so running it again changes nothing, and it is safe to run after a crash at any point.
 */
final class VethReconciler {
    /** A found end and where it was found. */
    private record Found(Place place, EndInfo info) {}

    private final LinkKernel kernel;

    VethReconciler(LinkKernel kernel) {
        this.kernel = kernel;
    }

    /**
     * Returns the ends now inside pods, for the ADD result. {@code leaving} names where a side's end
     * still is although its pod is going (its DEL): found there, it is parked rather than recreated,
     * so the peer keeps its interface.
     */
    List<PodEnd> reconcile(LinkSpec link, Map<Side, PodAttachment> present, Map<Side, Place.InPod> leaving) {
        var desired = new EnumMap<Side, Place>(Side.class);
        for (var side : Side.values()) {
            desired.put(side, desiredPlace(link, side, present));
        }
        if (present.isEmpty()) {
            removeParked(link);
            return List.of();
        }
        var found = new EnumMap<Side, Found>(Side.class);
        for (var side : Side.values()) {
            find(link, side, desired.get(side), Optional.ofNullable(leaving.get(side))).ifPresent(f -> found.put(side, f));
        }
        if (found.size() == 2 && arePeers(found.get(Side.A).info(), found.get(Side.B).info())) {
            found.forEach((side, f) -> {
                if (!f.place().equals(desired.get(side))) {
                    if (!f.info().alias().equals(Ownership.alias(link.id(), side))) {
                        kernel.setAlias(f.place(), Ownership.alias(link.id(), side));
                    }
                    kernel.move(f.place(), desired.get(side));
                }
            });
        } else {
            found.values().forEach(f -> kernel.delete(f.place()));
            kernel.delete(new Place.Parked(ParkedNames.of(link.id(), Side.A)));
            kernel.delete(new Place.Parked(ParkedNames.of(link.id(), Side.B)));
            kernel.createPair(desired.get(Side.A), desired.get(Side.B), link.mtu(), link.a().mac(), link.b().mac(),
                    Ownership.alias(link.id(), Side.A), Ownership.alias(link.id(), Side.B));
        }
        return configure(link, desired);
    }

    /** Removes every end of a link that is gone from the store. */
    void remove(LinkSpec link, Map<Side, PodAttachment> present) {
        present.forEach((side, pod) -> {
            var place = new Place.InPod(pod.netns(), link.end(side).ifname());
            try {
                kernel.find(place).filter(e -> Ownership.owns(e, link.id(), side)).ifPresent(e -> kernel.delete(place));
            } catch (NetnsGoneException gone) {
                // the pod's namespace took its end with it
            }
        });
        removeParked(link);
    }

    private void removeParked(LinkSpec link) {
        for (var side : Side.values()) {
            kernel.delete(new Place.Parked(ParkedNames.of(link.id(), side)));
        }
    }

    private static Place desiredPlace(LinkSpec link, Side side, Map<Side, PodAttachment> present) {
        var pod = present.get(side);
        return pod == null ? new Place.Parked(ParkedNames.of(link.id(), side)) : new Place.InPod(pod.netns(), link.end(side).ifname());
    }

    /** Looks for a side's end where it should be, then where it may still be: in the pod it leaves, or parked. */
    private Optional<Found> find(LinkSpec link, Side side, Place desired, Optional<Place.InPod> leaving) {
        var parked = new Place.Parked(ParkedNames.of(link.id(), side));
        if (leaving.isPresent()) {
            try {
                var there = kernel.find(leaving.get()).filter(e -> Ownership.owns(e, link.id(), side));
                if (there.isPresent()) {
                    return Optional.of(new Found(leaving.get(), there.get()));
                }
            } catch (NetnsGoneException gone) {
                // its namespace is gone, and the end with it
            }
        }
        if (desired instanceof Place.InPod inPod) {
            var there = kernel.find(inPod);
            if (there.isPresent()) {
                if (isUnmarkedButOurs(link, side, there.get())) {
                    kernel.setAlias(inPod, Ownership.alias(link.id(), side));
                    return Optional.of(new Found(inPod, there.get()));
                }
                if (!Ownership.owns(there.get(), link.id(), side)) {
                    throw LinkConflictException.nameTaken(inPod, there.get(), link);
                }
                return Optional.of(new Found(inPod, there.get()));
            }
        }
        // a parked name is ours by construction, marked or not (a crash may come between making and marking)
        return kernel.find(parked).filter(EndInfo::isVeth).map(info -> new Found(parked, info));
    }

    /**
     * An end nugator made but had not marked yet when it crashed: a veth without alias whose peer
     * is this link's other end, parked. Another plugin's interface never has that peer.
     */
    private boolean isUnmarkedButOurs(LinkSpec link, Side side, EndInfo end) {
        if (!end.isVeth() || !end.alias().isEmpty()) {
            return false;
        }
        var otherParked = new Place.Parked(ParkedNames.of(link.id(), side.other()));
        return kernel.find(otherParked).filter(peer -> arePeers(end, peer)).isPresent();
    }

    private static boolean arePeers(EndInfo a, EndInfo b) {
        return a.peerIndex() == b.index() && b.peerIndex() == a.index();
    }

    private List<PodEnd> configure(LinkSpec link, Map<Side, Place> desired) {
        var ends = new ArrayList<PodEnd>();
        desired.forEach((side, place) -> {
            if (place instanceof Place.InPod inPod) {
                var endpoint = link.end(side);
                kernel.configure(inPod, endpoint.addresses(), link.mtu(), endpoint.mac());
                kernel.find(inPod).ifPresent(info -> ends.add(new PodEnd(link.id(), endpoint, inPod, info)));
            }
        });
        return ends;
    }
}
