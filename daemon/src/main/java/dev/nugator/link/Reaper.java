package dev.nugator.link;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the panel's retired devices (tunnels no link needs here any more) a moment after the
 * first of them is retired, all in one request. Removing a device waits for the kernel's RCU grace
 * periods, 20-30 ms, one remover at a time; a DEL of a pod with four cross-node links paid that
 * four times, and a resync after many DELs once per tunnel. Retiring is a plain change (down, into
 * {@link PanelKernel#RETIRED_GROUP}); the wait is paid once per batch, off the DEL's path. A pass
 * that wants a retired tunnel back takes it out of the group under its link's lock, before the
 * batch goes, or makes a new one.
 */
final class Reaper {
    private static final Logger log = LoggerFactory.getLogger(Reaper.class);
    /** How long retired devices gather before they go: long enough for a burst of DELs, short for a lab. */
    static final Duration GATHER = Duration.ofMillis(100);
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("nugatord-reaper").factory());
    private final PanelKernel kernel;
    private final Duration gather;
    private final AtomicBoolean due = new AtomicBoolean();

    Reaper(PanelKernel kernel, Duration gather) {
        this.kernel = kernel;
        this.gather = gather;
    }

    /** Retires {@code name} from the panel, if it is there; it goes with the next batch. */
    void retire(String name) {
        if (kernel.retirePanelDevice(name) && due.compareAndSet(false, true)) {
            TIMER.schedule(this::reap, gather.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Removes what is retired now (the timer's work; a test's too). */
    void reap() {
        due.set(false);   // one retired from now on is for the next batch
        try {
            kernel.deleteRetiredPanelDevices();
        } catch (RuntimeException e) {
            log.warn("removing the panel's retired devices failed (the next batch tries again): {}", e.getMessage());
        }
    }
}
