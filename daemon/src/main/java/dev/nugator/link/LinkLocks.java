package dev.nugator.link;

import java.util.Collection;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One link is worked on by one thread at a time: an ADD, a DEL, the watch and the resync may all
 * reach the same link. Striped by the part of the link id that panel names carry, so that a device
 * found in the panel can be locked before its link is known; memory does not grow with the number
 * of links; several links are locked in one order, so that two callers never wait on each other.
 */
final class LinkLocks {
    private final ReentrantLock[] stripes = new ReentrantLock[128];

    LinkLocks() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Locks a link by its id, or by the prefix of it that a panel name carries. */
    Held lock(String linkId) {
        var lock = stripes[stripe(linkId)];
        lock.lock();
        return lock::unlock;
    }

    Held lockAll(Collection<String> linkIds) {
        var indexes = linkIds.stream().mapToInt(this::stripe).distinct().sorted().toArray();
        for (int i : indexes) {
            stripes[i].lock();
        }
        return () -> {
            for (int i = indexes.length - 1; i >= 0; i--) {
                stripes[indexes[i]].unlock();
            }
        };
    }

    private int stripe(String linkId) {
        return Math.floorMod(PanelNames.prefix(linkId).hashCode(), stripes.length);
    }

    /** A lock held until closed. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
