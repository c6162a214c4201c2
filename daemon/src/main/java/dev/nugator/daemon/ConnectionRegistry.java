package dev.nugator.daemon;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open connections, capped in total and per peer user, so that idle callers cannot take every
 * slot (and file descriptor) from real ones. At a cap the oldest connection still waiting for its
 * request is closed to admit the newcomer: a shim sends its request as soon as it connects, so the
 * oldest waiter is the least likely to be one. Only when every slot runs a command is a newcomer
 * refused.
 *
 * <p>Peers are told apart by user, which is what SO_PEERCRED gives through the JDK (uid and gid,
 * not the pid): one user's processes share one cap.
 */
final class ConnectionRegistry {
    private static final Logger log = LoggerFactory.getLogger(ConnectionRegistry.class);

    private final int maxTotal;
    private final int maxPerPeer;
    /** In order of arrival, so the first waiting one is the oldest. */
    private final SequencedSet<Connection> open = new LinkedHashSet<>();
    private final Map<String, Integer> perPeer = new HashMap<>();

    ConnectionRegistry(int maxTotal, int maxPerPeer) {
        this.maxTotal = maxTotal;
        this.maxPerPeer = maxPerPeer;
    }

    /** Admits {@code connection}, closing an older waiting one if a cap is reached; false when none can make room. */
    boolean admit(Connection connection) {
        Connection displaced = null;
        synchronized (this) {
            if (atCap(connection.peer())) {
                displaced = oldestWaiting(connection.peer()).orElse(null);
                if (displaced == null) {
                    return false;
                }
                forget(displaced);
            }
            open.add(connection);
            perPeer.merge(connection.peer(), 1, Integer::sum);
        }
        if (displaced != null) {
            // closed outside the lock: the accept loop must not wait on another connection's reader
            log.debug("closed a {} that sent no request yet, to admit a newer one", displaced);
            displaced.close();
        }
        return true;
    }

    private boolean atCap(String peer) {
        return perPeer.getOrDefault(peer, 0) >= maxPerPeer || open.size() >= maxTotal;
    }

    /** At its own cap a peer makes room only from its own connections; at the total cap, anyone's do. */
    private Optional<Connection> oldestWaiting(String peer) {
        boolean ownCap = perPeer.getOrDefault(peer, 0) >= maxPerPeer;
        return open.stream().filter(c -> (!ownCap || c.peer().equals(peer)) && c.isWaiting()).findFirst();
    }

    /**
     * Marks the connection's request as whole, so no newcomer can displace it; false when it was
     * already closed for one while its last bytes arrived.
     */
    synchronized boolean start(Connection connection) {
        if (!open.contains(connection)) {
            return false;
        }
        connection.markStarted();
        return true;
    }

    /** Forgets a connection that ended; safe for one already forgotten. */
    synchronized void remove(Connection connection) {
        forget(connection);
    }

    private void forget(Connection connection) {
        if (open.remove(connection)) {
            perPeer.computeIfPresent(connection.peer(), (peer, count) -> count > 1 ? count - 1 : null);
        }
    }

    synchronized int size() {
        return open.size();
    }

    synchronized int size(String peer) {
        return perPeer.getOrDefault(peer, 0);
    }
}
