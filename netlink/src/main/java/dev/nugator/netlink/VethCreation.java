package dev.nugator.netlink;

import java.util.function.Consumer;

/**
 * Creates a veth pair with the ends admin-up that its spec asks for, in as few requests as the
 * kernel allows. The kernel brings up only the first end of a create request: it configures the
 * peer before the two ends are tied, and a veth cannot open without its peer (ENOTCONN). So:
 *
 * <ul>
 *   <li>when only one end must be up, that end goes first in the request: one request;</li>
 *   <li>when both must, the first end comes up in the request and the other with a second one,
 *       sent through this socket when that end lives in the socket's namespace (the request is
 *       ordered so that it does whenever either end does);</li>
 *   <li>only when neither end lives here is a socket opened in the peer's namespace for the second
 *       request, the one case that goes through {@link NamespaceSwitcher}.</li>
 * </ul>
 *
 * If the second request fails, the pair is deleted again: createVeth makes all of it or nothing.
 */
final class VethCreation {
    private VethCreation() {}

    /** {@code here} is the nsfs inode of the socket's namespace. */
    static void create(NetlinkSocket socket, long here, VethSpec spec) {
        VethSpec sent = upFirst(spec, here);
        socket.execute("create veth " + spec.name() + "/" + spec.peerName(),
                (w, seq) -> LinkRequests.newVeth(w, seq, sent));
        if (sent.adminUp() && sent.peerAdminUp()) {
            withSocketIn(socket, isHere(sent.peerNetns(), here) ? null : sent.peerNetns(),
                    peerSide -> upOrDelete(peerSide, sent.peerName()));
        }
    }

    /** Swaps the ends when that saves a request or a namespace switch; the pair is the same either way. */
    static VethSpec upFirst(VethSpec spec, long here) {
        boolean onlyPeerUp = spec.peerAdminUp() && !spec.adminUp();
        boolean bothUpAndOnlyFirstHere = spec.adminUp() && spec.peerAdminUp()
                && !isHere(spec.peerNetns(), here) && isHere(spec.netns(), here);
        return onlyPeerUp || bothUpAndOnlyFirstHere ? spec.swapped() : spec;
    }

    private static boolean isHere(NetNamespace namespace, long here) {
        return namespace == null || namespace.inode() == here;
    }

    /** Runs {@code action} with {@code socket}, or with a socket opened in {@code namespace} when given. */
    private static void withSocketIn(NetlinkSocket socket, NetNamespace namespace, Consumer<NetlinkSocket> action) {
        if (namespace == null) {
            action.accept(socket);
            return;
        }
        try (NetlinkSocket there = NamespaceSwitcher.shared().call(namespace,
                () -> NetlinkSocket.open(RtNetlink.DEFAULT_TIMEOUT))) {
            action.accept(there);
        }
    }

    private static void upOrDelete(NetlinkSocket socket, String name) {
        try {
            socket.execute("set " + name + " up", (w, seq) -> LinkRequests.setUp(w, seq, name, true));
        } catch (RuntimeException e) {
            try {
                socket.execute("delete link " + name, (w, seq) -> LinkRequests.delete(w, seq, name));
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }
}
