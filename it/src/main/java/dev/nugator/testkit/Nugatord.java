package dev.nugator.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real {@code dist/bin/nugatord}, running inside a {@link NodeNamespace} the way a node would
 * run it (in the node's network namespace, the machine's mount namespace), with its own socket,
 * state directory and log file in a private temp directory, and its own panel namespace.
 *
 * <p>{@link #start()} returns only once the socket accepts a connection, so a test never races the
 * daemon's start-up; if the daemon dies or never listens, it fails with the tail of the log.
 * {@link #close()} stops it (SIGTERM, then SIGKILL if it does not go) and removes the temp dir,
 * keeping a copy of the log under {@code target/nugatord-logs/} for post-mortems.
 */
public final class Nugatord implements AutoCloseable {
    private static final Set<Nugatord> RUNNING = Collections.synchronizedSet(new LinkedHashSet<>());
    private static final Duration START_DEADLINE = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final Netns netns;
    private final Netns panel;
    private final Path dir;
    private final List<String> extraArgs;
    private final String logLevel;
    private Process process;
    private boolean closed;

    private Nugatord(Netns netns, Path dir, String logLevel, List<String> extraArgs) {
        this.netns = netns;
        this.panel = Netns.adopt(Names.unique("ntpanel"));
        this.dir = dir;
        this.logLevel = logLevel;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** Starts configuring a daemon for this node. */
    public static Builder in(NodeNamespace node) {
        return new Builder(node.netns());
    }

    /** Starts configuring a daemon in any namespace (a node built by hand). */
    public static Builder in(Netns netns) {
        return new Builder(netns);
    }

    /** Options of one daemon; every one maps to a documented nugatord flag. */
    public static final class Builder {
        private final Netns netns;
        private String logLevel = "info";
        private final List<String> extraArgs = new ArrayList<>();

        private Builder(Netns netns) {
            this.netns = netns;
        }

        /** {@code --log-level}: trace, debug, info, warn or error. */
        public Builder logLevel(String level) {
            this.logLevel = level;
            return this;
        }

        /** {@code --command-timeout SECONDS}. */
        public Builder commandTimeout(int seconds) {
            return args("--command-timeout", Integer.toString(seconds));
        }

        /** Any further flags, passed verbatim after the kit's own. */
        public Builder args(String... args) {
            extraArgs.addAll(List.of(args));
            return this;
        }

        /** Launches the daemon and waits until its socket accepts a connection. */
        public Nugatord start() {
            Path dir;
            try {
                dir = Files.createTempDirectory("ntd-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            var daemon = new Nugatord(netns, dir, logLevel, extraArgs);
            try {
                daemon.launch();
                return daemon;
            } catch (RuntimeException | AssertionError e) {
                daemon.close();
                throw e;
            }
        }
    }

    /** The UNIX socket the shim must be pointed at (the config's {@code "socket"} key). */
    public Path socket() {
        return dir.resolve("nugatord.sock");
    }

    /** {@code --state-dir}; attachments live under {@code attachments/<network>/<container>/<ifname>.json}. */
    public Path stateDir() {
        return dir.resolve("state");
    }

    /** Where the daemon keeps the state of one attachment, per the contract. */
    public Path attachmentState(String network, String containerId, String ifname) {
        return stateDir().resolve("attachments").resolve(network).resolve(containerId).resolve(ifname + ".json");
    }

    public Path logFile() {
        return dir.resolve("nugatord.log");
    }

    /** Everything the daemon logged so far: the log file, then whatever reached stderr/stdout. */
    public String log() {
        return read(logFile()) + read(dir.resolve("stderr.txt")) + read(dir.resolve("stdout.txt"));
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public Netns netns() {
        return netns;
    }

    /**
     * The daemon's patch panel ({@code --panel-netns /run/netns/<name>}): made by the daemon at its
     * first start, kept across restarts, deleted by {@link #close()}.
     */
    public Netns panel() {
        return panel;
    }

    /**
     * Sends SIGTERM and waits for the daemon to exit (SIGKILL after a grace period).
     *
     * @return the exit code
     */
    public int stop() {
        if (process == null) {
            return -1;
        }
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return -1;
        } finally {
            RUNNING.remove(this);
        }
    }

    /** Kills the daemon with SIGKILL, as a crash would, and waits until it is gone. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        RUNNING.remove(this);
    }

    /**
     * Starts the daemon again with the same socket, state dir and log (after {@link #stop()} or
     * {@link #kill()}), as a node restart would.
     */
    public void restart() {
        if (isAlive()) {
            throw new IllegalStateException("nugatord is still running");
        }
        launch();
    }

    /** Stops the daemon if needed, keeps a copy of the log, removes the temp dir; safe twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
            keepLogCopy();
        } finally {
            try {
                panel.close();
            } finally {
                FileTrees.delete(dir);
            }
        }
    }

    /** Daemons started by this JVM that have not been stopped (for the leak check). */
    public static Set<Nugatord> running() {
        synchronized (RUNNING) {
            return Set.copyOf(RUNNING);
        }
    }

    private void launch() {
        var command = new ArrayList<>(List.of(Dist.nugatord().toString(),
                "--socket", socket().toString(), "--state-dir", stateDir().toString(),
                "--log-file", logFile().toString(), "--log-level", logLevel, "--panel-netns", panel.path().toString()));
        command.addAll(extraArgs);
        var builder = new ProcessBuilder(netns.enterArgs(command))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.txt").toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("stderr.txt").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        RUNNING.add(this);
        awaitSocket();
    }

    private void awaitSocket() {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                RUNNING.remove(this);
                throw new AssertionError("nugatord exited with " + process.exitValue() + " before listening on "
                        + socket() + "; log tail:\n" + tail(log()));
            }
            if (accepts(socket())) {
                return;
            }
            FileTrees.pause(50);
        }
        stop();
        throw new AssertionError("nugatord did not accept connections on " + socket() + " within "
                + START_DEADLINE.toSeconds() + " s; log tail:\n" + tail(log()));
    }

    /** Whether something accepts connections on this UNIX socket right now. */
    public static boolean accepts(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (var channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The last 40 lines of a log, for failure messages. */
    public static String tail(String text) {
        var lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private void keepLogCopy() {
        try {
            Path target = Path.of("target");
            if (Files.isDirectory(target)) {
                Path logs = Files.createDirectories(target.resolve("nugatord-logs"));
                Files.writeString(logs.resolve(netns.name() + "-" + dir.getFileName() + ".log"), log());
            }
        } catch (IOException ignored) {
            // a missing post-mortem copy must not fail the test that is cleaning up
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "<cannot read " + file + ": " + e + ">";
        }
    }

    @Override
    public String toString() {
        return "nugatord(" + netns.name() + ", " + socket() + ")";
    }
}
