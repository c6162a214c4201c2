package dev.nugator.link;

import dev.nugator.pairing.IfAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the link engine asks of the kernel, in terms of places. The real one speaks rtnetlink
 * ({@link NetlinkKernel}); a fake one lets the engine's decisions be unit-tested.
 * A pod namespace that no longer exists makes these throw {@link NetnsGoneException}.
 */
public interface LinkKernel {
    Optional<EndInfo> find(Place place);

    /**
     * One veth pair with its ends created directly at their places (named there), then each marked
     * with its alias. (Moving an end between namespaces costs the kernel ~17 ms, so ends are not
     * made parked and moved in; a crash between making and marking is recognised by the engine.)
     */
    void createPair(Place a, Place b, OptionalInt mtu, Optional<String> macA, Optional<String> macB, String aliasA, String aliasB);

    /**
     * A cross-node end: a VXLAN device made by nugatord's namespace straight into the pod, so that
     * its UDP socket is on the node's underlay while the device is the pod's; then marked.
     */
    void createVxlan(Place.InPod end, VxlanEnd tunnel, OptionalInt mtu, Optional<String> mac, String alias);

    /** Points a cross-node end at the peer's (new) node, in place. */
    void setVxlanRemote(Place.InPod end, java.net.InetAddress remote);

    /**
     * Every end marked by nugator (see {@link Ownership}) in a pod's namespace, or parked in
     * nugatord's when {@code pod} is empty; each with its mark. For sweeping what outlived its link.
     */
    Map<Place, String> marked(Optional<String> podNetns);

    /** Marks an end (see {@link Ownership}). */
    void setAlias(Place place, String alias);

    /**
     * Lets the calling thread reuse what it opens into pod namespaces until the returned session is
     * closed: a pod with many links then costs one namespace switch, not several per link.
     * Nothing may outlive the session (an open socket keeps a dead pod's namespace alive).
     */
    default Session session() {
        return () -> { };
    }

    /** See {@link #session()}. */
    interface Session extends AutoCloseable {
        @Override
        void close();
    }

    /** Moves an end between nugatord's namespace and a pod's, renaming it on the way, in one request. */
    void move(Place from, Place to);

    /** Deletes an end, and with it its peer. A missing end is not an error. */
    void delete(Place place);

    /** Makes an end in a pod look as the link says: exactly these global addresses, MTU, MAC, and up. */
    void configure(Place.InPod end, List<IfAddress> addresses, OptionalInt mtu, Optional<String> mac);
}
