package dev.nugator.link;

import dev.nugator.netlink.AddressInfo;
import dev.nugator.netlink.LinkInfo;
import dev.nugator.netlink.NetNamespace;
import dev.nugator.netlink.NetlinkException;
import dev.nugator.netlink.RtNetlink;
import dev.nugator.netlink.VethSpec;
import dev.nugator.netlink.VxlanSpec;
import java.net.InetAddress;
import dev.nugator.pairing.IfAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The link engine's kernel, over rtnetlink. nugatord's own namespace keeps one socket; a pod's
 * namespace gets a socket for the duration of one operation (opening it is the only namespace
 * switch, done by the netlink layer on its own platform threads).
 */
public final class NetlinkKernel implements LinkKernel, AutoCloseable {
    private final NetNamespace nodeNs;
    private final RtNetlink node;

    public NetlinkKernel() {
        this.nodeNs = NetNamespace.current();
        this.node = RtNetlink.open();
    }

    @Override
    public Optional<EndInfo> find(Place place) {
        return switch (place) {
            case Place.Parked parked -> node.link(parked.name()).map(l -> info(node, l));
            case Place.InPod pod -> inPod(pod.netns(), rt -> rt.link(pod.name()).map(l -> info(rt, l)));
        };
    }

    @Override
    public void createPair(Place a, Place b, OptionalInt mtu, Optional<String> macA, Optional<String> macB, String aliasA, String aliasB) {
        try (var nsA = namespaceOf(a); var nsB = namespaceOf(b)) {
            var spec = VethSpec.of(a.name(), b.name()).inNamespace(nsA.orElse(null)).peerIn(nsB.orElse(null))
                    .withMtu(mtu.orElse(0)).withMac(macA.orElse(null)).withPeerMac(macB.orElse(null));
            node.createVeth(spec);
        }
        setAlias(a, aliasA);
        setAlias(b, aliasB);
    }

    @Override
    public void createVxlan(Place.InPod end, VxlanEnd tunnel, OptionalInt mtu, Optional<String> mac, String alias) {
        try (var pod = open(end.netns())) {
            var spec = VxlanSpec.of(end.name(), tunnel.vni()).withLocal(tunnel.local()).withPort(tunnel.port()).withLearning(false)
                    .withUnderlay(underlayIndex(tunnel.local())).withMtu(mtu.orElse(0)).withMac(mac.orElse(null)).inNamespace(pod);
            node.createVxlan(tunnel.remote().map(spec::withRemote).orElse(spec));
        }
        setAlias(end, alias);
    }

    /**
     * The node's interface holding its underlay address: tied to it, a tunnel leaves through it and
     * takes its MTU less the VXLAN overhead by default (1450 on a 1500 underlay), so that a full
     * frame is never fragmented. 0 (let routing choose) when the address is on no interface here.
     */
    private int underlayIndex(InetAddress local) {
        return node.addresses().stream().filter(a -> a.address().equals(local)).mapToInt(AddressInfo::ifindex).findFirst().orElse(0);
    }

    @Override
    public void setVxlanRemote(Place.InPod end, InetAddress remote) {
        inPod(end.netns(), rt -> {
            rt.setVxlanRemote(end.name(), remote);
            return null;
        });
    }

    @Override
    public Map<Place, String> marked(Optional<String> podNetns) {
        var result = new HashMap<Place, String>();
        if (podNetns.isEmpty()) {
            node.links().stream().filter(l -> Ownership.isMark(l.alias())).forEach(l -> result.put(new Place.Parked(l.name()), l.alias()));
            return result;
        }
        String netns = podNetns.get();
        return inPod(netns, rt -> {
            rt.links().stream().filter(l -> Ownership.isMark(l.alias())).forEach(l -> result.put(new Place.InPod(netns, l.name()), l.alias()));
            return result;
        });
    }

    @Override
    public void setAlias(Place place, String alias) {
        switch (place) {
            case Place.Parked parked -> node.setAlias(parked.name(), alias);
            case Place.InPod pod -> inPod(pod.netns(), rt -> {
                rt.setAlias(pod.name(), alias);
                return null;
            });
        }
    }

    @Override
    public void move(Place from, Place to) {
        try (var target = namespaceOf(to)) {
            NetNamespace destination = target.orElse(nodeNs);
            switch (from) {
                case Place.Parked parked -> node.moveTo(parked.name(), destination, to.name());
                case Place.InPod pod -> inPod(pod.netns(), rt -> {
                    rt.moveTo(pod.name(), destination, to.name());
                    return null;
                });
            }
        }
    }

    @Override
    public void delete(Place place) {
        try {
            switch (place) {
                case Place.Parked parked -> deleteIfPresent(node, parked.name());
                case Place.InPod pod -> inPod(pod.netns(), rt -> {
                    deleteIfPresent(rt, pod.name());
                    return null;
                });
            }
        } catch (NetnsGoneException gone) {
            // the namespace took the end with it
        }
    }

    @Override
    public void configure(Place.InPod end, List<IfAddress> addresses, OptionalInt mtu, Optional<String> mac) {
        inPod(end.netns(), rt -> {
            var link = rt.link(end.name()).orElseThrow(() -> new IllegalStateException(end + " vanished while being configured"));
            if (mtu.isPresent() && link.mtu() != mtu.getAsInt()) {
                rt.setMtu(end.name(), mtu.getAsInt());
            }
            if (mac.isPresent() && !mac.get().equalsIgnoreCase(link.mac())) {
                rt.setMac(end.name(), mac.get());
            }
            var current = globalAddresses(rt, end.name());
            for (var wanted : addresses) {
                if (!current.contains(wanted)) {
                    rt.addAddress(end.name(), wanted.address(), wanted.prefixLength());
                }
            }
            for (var present : current) {
                if (!addresses.contains(present)) {
                    rt.removeAddress(end.name(), present.address(), present.prefixLength());
                }
            }
            if (!link.adminUp()) {
                rt.setUp(end.name());
            }
            return null;
        });
    }

    private static void deleteIfPresent(RtNetlink rt, String name) {
        if (rt.link(name).isPresent()) {
            try {
                rt.deleteLink(name);
            } catch (NetlinkException e) {
                if (!"ENODEV".equals(e.errnoName())) {
                    throw e;
                }
            }
        }
    }

    private static EndInfo info(RtNetlink rt, LinkInfo link) {
        var vxlan = Optional.ofNullable(link.vxlan()).filter(v -> v.local() != null)
                .map(v -> new VxlanEnd(v.vni(), v.local(), Optional.ofNullable(v.remote()), v.port()));
        return new EndInfo(link.index(), link.linkIndex(), link.kind(), link.mac(), link.mtu(), link.adminUp(), link.carrier(),
                List.copyOf(globalAddresses(rt, link.name())), link.alias(), vxlan);
    }

    /** Addresses a link may set: every address but IPv6 link-local, which the kernel makes itself. */
    private static List<IfAddress> globalAddresses(RtNetlink rt, String name) {
        var result = new ArrayList<IfAddress>();
        for (AddressInfo address : rt.addresses(name)) {
            if (!address.address().isLinkLocalAddress()) {
                result.add(new IfAddress(address.address(), address.prefixLength()));
            }
        }
        return result;
    }

    /** The pod's namespace for a place in a pod; empty for a parked place (nugatord's own namespace). */
    private static OpenNamespace namespaceOf(Place place) {
        return place instanceof Place.InPod pod ? new OpenNamespace(Optional.of(open(pod.netns()))) : new OpenNamespace(Optional.empty());
    }

    private static NetNamespace open(String netns) {
        if (!Files.exists(Path.of(netns))) {
            throw new NetnsGoneException(netns, null);
        }
        try {
            return NetNamespace.open(Path.of(netns));
        } catch (NetlinkException e) {
            throw new NetnsGoneException(netns, e);
        }
    }

    /** The calling thread's open pod sockets, while it holds a session. */
    private static final ThreadLocal<Map<String, RtNetlink>> SESSION = new ThreadLocal<>();

    @Override
    public Session session() {
        if (SESSION.get() != null) {
            return () -> { };
        }
        var sockets = new HashMap<String, RtNetlink>();
        SESSION.set(sockets);
        return () -> {
            SESSION.remove();
            sockets.values().forEach(RtNetlink::close);
        };
    }

    private static <T> T inPod(String netns, Function<RtNetlink, T> work) {
        var session = SESSION.get();
        if (session == null) {
            try (var ns = open(netns); var rt = RtNetlink.openIn(ns)) {
                return work.apply(rt);
            }
        }
        var rt = session.get(netns);
        if (rt == null) {
            try (var ns = open(netns)) {
                rt = RtNetlink.openIn(ns);
            }
            session.put(netns, rt);
        }
        return work.apply(rt);
    }

    /** An optional namespace fd that closes with try-with-resources. */
    private record OpenNamespace(Optional<NetNamespace> namespace) implements AutoCloseable {
        NetNamespace orElse(NetNamespace other) {
            return namespace.orElse(other);
        }

        @Override
        public void close() {
            namespace.ifPresent(NetNamespace::close);
        }
    }

    @Override
    public void close() {
        node.close();
        nodeNs.close();
    }
}
