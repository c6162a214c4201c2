package dev.nugator.link;

import dev.nugator.pairing.IfAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A kernel in memory for unit tests of the engine's decisions: veth ends that live in places,
 * die in pairs, and vanish with their namespace. The real kernel is tested in the it module.
 */
final class FakeKernel implements LinkKernel {
    static final class End {
        final int index;
        String kind = "veth";
        Place place;
        End peer;
        String alias = "";
        boolean up;
        List<IfAddress> addresses = new ArrayList<>();
        VxlanEnd tunnel;

        End(int index, Place place) {
            this.index = index;
            this.place = place;
        }
    }

    final Map<String, End> ends = new LinkedHashMap<>();
    final Set<String> goneNamespaces = new HashSet<>();
    final List<String> operations = new ArrayList<>();
    private int nextIndex = 10;

    private static String key(Place place) {
        return switch (place) {
            case Place.Parked p -> "node:" + p.name();
            case Place.InPod p -> p.netns() + ":" + p.name();
        };
    }

    private void requireNamespace(Place place) {
        if (place instanceof Place.InPod pod && goneNamespaces.contains(pod.netns())) {
            throw new NetnsGoneException(pod.netns(), null);
        }
    }

    @Override
    public Optional<EndInfo> find(Place place) {
        requireNamespace(place);
        var end = ends.get(key(place));
        if (end == null) {
            return Optional.empty();
        }
        return Optional.of(new EndInfo(end.index, end.peer.index, end.kind, "02:00:00:00:00:" + end.index, 1500, end.up,
                end.up && end.peer.up, end.addresses, end.alias, Optional.ofNullable(end.tunnel)));
    }

    @Override
    public void createPair(Place a, Place b, OptionalInt mtu, Optional<String> macA, Optional<String> macB, String aliasA, String aliasB) {
        requireNamespace(a);
        requireNamespace(b);
        if (ends.containsKey(key(a)) || ends.containsKey(key(b))) {
            throw new IllegalStateException("EEXIST: " + a + " or " + b);
        }
        var endA = new End(nextIndex++, a);
        var endB = new End(nextIndex++, b);
        endA.peer = endB;
        endB.peer = endA;
        endA.alias = aliasA;
        endB.alias = aliasB;
        ends.put(key(a), endA);
        ends.put(key(b), endB);
        operations.add("create " + a + " = " + b);
    }

    @Override
    public void createVxlan(Place.InPod place, VxlanEnd tunnel, OptionalInt mtu, Optional<String> mac, String alias) {
        requireNamespace(place);
        if (ends.containsKey(key(place))) {
            throw new IllegalStateException("EEXIST: " + place);
        }
        var end = new End(nextIndex++, place);
        end.peer = end;
        end.kind = "vxlan";
        end.tunnel = tunnel;
        end.alias = alias;
        ends.put(key(place), end);
        operations.add("vxlan " + place + " " + tunnel);
    }

    @Override
    public void setVxlanRemote(Place.InPod place, java.net.InetAddress remote) {
        var end = ends.get(key(place));
        end.tunnel = new VxlanEnd(end.tunnel.vni(), end.tunnel.local(), Optional.of(remote), end.tunnel.port());
        operations.add("remote " + place + " " + remote.getHostAddress());
    }

    VxlanEnd tunnel(Place place) {
        var end = ends.get(key(place));
        return end == null ? null : end.tunnel;
    }

    @Override
    public Map<Place, String> marked(Optional<String> podNetns) {
        var result = new LinkedHashMap<Place, String>();
        for (var end : ends.values()) {
            boolean there = podNetns.isEmpty() ? end.place instanceof Place.Parked
                    : end.place instanceof Place.InPod pod && pod.netns().equals(podNetns.get());
            if (there && end.alias.startsWith("nugator:")) {
                result.put(end.place, end.alias);
            }
        }
        return result;
    }

    @Override
    public void setAlias(Place place, String alias) {
        ends.get(key(place)).alias = alias;
    }

    /** Another plugin's interface, not a link end. */
    void foreign(Place.InPod place, String kind) {
        var end = new End(nextIndex++, place);
        end.peer = end;
        end.kind = kind;
        ends.put(key(place), end);
    }

    @Override
    public void move(Place from, Place to) {
        requireNamespace(from);
        requireNamespace(to);
        var end = ends.remove(key(from));
        end.place = to;
        end.up = false;
        end.addresses = new ArrayList<>();
        ends.put(key(to), end);
        operations.add("move " + from + " -> " + to);
    }

    @Override
    public void delete(Place place) {
        var end = ends.remove(key(place));
        if (end != null) {
            ends.remove(key(end.peer.place));
            operations.add("delete " + place);
        }
    }

    @Override
    public void configure(Place.InPod place, List<IfAddress> addresses, OptionalInt mtu, Optional<String> mac) {
        requireNamespace(place);
        var end = ends.get(key(place));
        end.addresses = new ArrayList<>(addresses);
        end.up = true;
    }

    /** A pod's namespace is destroyed: its ends die, and their peers with them. */
    void destroyNamespace(String netns) {
        goneNamespaces.add(netns);
        for (var end : List.copyOf(ends.values())) {
            if (end.place instanceof Place.InPod pod && pod.netns().equals(netns)) {
                ends.remove(key(end.place));
                ends.remove(key(end.peer.place));
            }
        }
    }

    boolean has(Place place) {
        return ends.containsKey(key(place));
    }

    boolean carrier(Place place) {
        var end = ends.get(key(place));
        return end != null && end.up && end.peer.up;
    }
}
