package dev.nugator.link;

import dev.nugator.pairing.PodRef;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * DELs that could not reach the store: the pod is released there once the store answers again
 * (tried by the resync). An ADD of the same container after such a DEL takes it back: that
 * container is back, not gone.
 */
final class PendingDetaches {
    /** One DEL to finish: the pod, its container, and the network whose links it carried. */
    record Detach(PodRef pod, String containerId, String network, String uid) {
        String key() {
            return containerId + "/" + pod;
        }
    }

    private final Map<String, Detach> pending = new ConcurrentHashMap<>();

    void add(Detach detach) {
        pending.put(detach.key(), detach);
    }

    /** The container was ADDed again. */
    void cancel(PodRef pod, String containerId) {
        pending.remove(containerId + "/" + pod);
    }

    /** Finishes each pending DEL; stops at the first that fails (the store is still away), keeping the rest. */
    void retry(Consumer<Detach> detach) {
        for (var entry : Map.copyOf(pending).entrySet()) {
            detach.accept(entry.getValue());
            pending.remove(entry.getKey());
        }
    }
}
