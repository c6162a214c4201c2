package dev.nugator.link;

import dev.nugator.pairing.LinkRegistry;
import dev.nugator.pairing.LinkSpec;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what no link needs from this node any more: ports and tunnels in the panel of links
 * deleted while nugatord was down (no event told it) or of links none of whose pods runs here now,
 * and the ends an earlier version parked in nugatord's own namespace. A device is judged under its
 * link's lock, against the store read then: an ADD making it at the same moment is never undone.
 */
final class Sweeper {
    private static final Logger log = LoggerFactory.getLogger(Sweeper.class);
    private final PanelKernel kernel;
    private final LinkLocks locks;
    private final LinkRegistry registry;
    private final Consumer<LinkSpec> reconcile;

    Sweeper(PanelKernel kernel, LinkLocks locks, LinkRegistry registry, Consumer<LinkSpec> reconcile) {
        this.kernel = kernel;
        this.locks = locks;
        this.registry = registry;
        this.reconcile = reconcile;
    }

    /** {@code linksHere}: the links just reconciled because a pod of theirs runs here. */
    void sweep(Set<String> linksHere) {
        var prefixesHere = new HashSet<String>();
        linksHere.forEach(id -> prefixesHere.add(PanelNames.prefix(id)));
        var judged = new HashSet<String>();
        for (var device : kernel.panelDevices()) {
            var prefix = PanelNames.prefixOf(device.name());
            if (prefix.isPresent() && !prefixesHere.contains(prefix.get()) && judged.add(prefix.get())) {
                judge(prefix.get());
            }
        }
        for (var device : kernel.nodeDevices()) {
            if (OldEnds.isParked(device)) {
                log.info("removing {} from nugatord's namespace: an earlier version parked it there", device.name());
                quietly(() -> kernel.deleteNodeDevice(device.name()));
            }
        }
    }

    private void judge(String prefix) {
        try (var held = locks.lock(prefix)) {
            var live = registry.linksWithPrefix(prefix);
            if (live.isEmpty()) {
                log.info("removing the panel devices of link {}…: it is gone", prefix);
                for (var suffix : new String[] {"-a", "-b", "-v"}) {
                    quietly(() -> kernel.deletePanelDevice(prefix + suffix));
                }
            } else {
                live.forEach(link -> quietly(() -> reconcile.accept(link)));
            }
        }
    }

    private static void quietly(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            log.warn("sweeping: {}", e.getMessage());
        }
    }
}
