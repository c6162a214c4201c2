package dev.nugator.delegate;

import dev.nugator.netlink.ChildProcesses;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delegate processes nugatord runs, and what they leave behind. nugatord is the subreaper of
 * its descendants, so a process a delegate leaves running (a shell's {@code sleep &} holding the
 * delegate's stdout, a {@code setsid}'d helper that left its process group) comes back to nugatord
 * when the delegate exits: then every child of nugatord that is not a running delegate is such a
 * leftover, and is killed and reaped. Starting a delegate and sweeping take one lock, so a
 * delegate just started is never taken for a leftover.
 */
final class DelegateProcesses {
    private static final Logger log = LoggerFactory.getLogger(DelegateProcesses.class);
    private static final long REAP_WAIT_NANOS = 1_000_000_000L;
    private final Object lock = new Object();
    private final Set<Long> running = ConcurrentHashMap.newKeySet();

    DelegateProcesses() {
        try {
            ChildProcesses.becomeSubreaper();
        } catch (RuntimeException e) {
            log.warn("cannot become the subreaper of delegates' leftovers ({}): a delegate's background processes outlive it", e.getMessage());
        }
    }

    Process start(ProcessBuilder builder) throws IOException {
        synchronized (lock) {
            var process = builder.start();
            running.add(process.pid());
            return process;
        }
    }

    /**
     * The delegate is done with (it exited, or its deadline passed): it and everything it started
     * goes, so that nothing holds its output open or outlives the command.
     */
    void finished(Process process) {
        if (process.isAlive()) {   // an exited one is left alone: destroying a Process closes its streams, unread yet
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        running.remove(process.pid());
        sweep();
    }

    /** Kills and reaps every child of nugatord's that no running delegate accounts for. */
    void sweep() {
        synchronized (lock) {
            ProcessHandle.current().children().filter(child -> !running.contains(child.pid())).forEach(this::end);
        }
    }

    private void end(ProcessHandle leftover) {
        log.info("ending process {} ({}): a delegate left it behind", leftover.pid(), leftover.info().command().orElse("?"));
        leftover.descendants().forEach(ProcessHandle::destroyForcibly);
        leftover.destroyForcibly();
        long until = System.nanoTime() + REAP_WAIT_NANOS;
        while (!ChildProcesses.reap(leftover.pid()) && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
