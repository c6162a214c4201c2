package dev.nugator.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Keeps {@value HostPaths#CHAIN_FILE} in step with the node's primary network: once
 * ({@link #once()}), or for as long as it runs ({@link #follow(Duration)}), as Multus follows the
 * config of the network it wraps. It wakes on any change in the conf dir and, in case an event is
 * lost (an overlay file system may not report one), at least every {@code recheck}.
 */
final class ChainSync {
    private final HostPaths paths;
    private final ChainConfig config;
    private final PrintStream out;

    ChainSync(HostPaths paths, ChainConfig config, PrintStream out) {
        this.paths = paths;
        this.config = config;
        this.out = out;
    }

    /** One pass: writes our file for the current primary; a conf dir with no primary is an error. */
    void once() {
        sync(true);
    }

    private void sync(boolean sayUnchanged) {
        var primary = config.primary().orElseThrow(() -> new CliFailure(1, "no primary network in " + paths.confDir()
                + ": no .conf, .conflist or .json file besides " + HostPaths.CHAIN_FILE
                + " (chained mode extends the node's network; install its plugin first, or use --multus)"));
        boolean written = config.writeFor(primary);
        if (written || sayUnchanged) {
            out.println((written ? "wrote " : "unchanged: ") + paths.chainFile() + " = " + primary.getFileName() + " + nugator");
        }
        if ((written || sayUnchanged) && config.sortsBeforeOurs(primary)) {
            out.println("warning: " + primary + " sorts before " + HostPaths.CHAIN_FILE
                    + ", so the runtime uses it and not ours: rename it, or run nugator with --multus");
        }
    }

    /**
     * Passes until the process is stopped. A pass that fails (a primary half-written by its own
     * installer, say) is reported and the next change tried; when the primary goes, ours goes too, so
     * that the runtime does not run a network whose plugin was removed.
     */
    void follow(Duration recheck) {
        try (WatchService watch = paths.confDir().getFileSystem().newWatchService()) {
            paths.confDir().register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
            while (true) {
                pass();
                var key = watch.poll(recheck.toMillis(), TimeUnit.MILLISECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        } catch (IOException e) {
            throw HostFiles.failure("cannot watch " + paths.confDir(), e);
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pass() {
        try {
            if (config.primary().isEmpty()) {
                if (config.remove()) {
                    out.println("removed " + paths.chainFile() + ": " + paths.confDir() + " has no primary network any more");
                }
                return;
            }
            sync(false);
        } catch (CliFailure failure) {
            out.println(failure.render() + " (kept the current " + HostPaths.CHAIN_FILE + "; trying again at the next change)");
        }
    }
}
