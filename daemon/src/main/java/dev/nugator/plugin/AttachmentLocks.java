package dev.nugator.plugin;

import dev.nugator.store.AttachmentKey;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises commands on the same attachment (ADD racing DEL of one container and interface) while
 * different attachments run in parallel. Striped, so memory stays bounded however many pods come and go.
 */
final class AttachmentLocks {
    private final ReentrantLock[] stripes = new ReentrantLock[256];

    AttachmentLocks() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** A held lock; close it to release. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    Held lock(AttachmentKey key) {
        var lock = stripes[Math.floorMod(key.hashCode(), stripes.length)];
        lock.lock();
        return lock::unlock;
    }
}
