package dev.nugator.testkit.cri;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.testkit.Await;
import dev.nugator.testkit.Names;
import dev.nugator.testkit.Proc;
import io.grpc.StatusRuntimeException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private containerd 1.6 with its CRI plugin, as a kubelet's node would run it, in a network
 * namespace of the test's (so the primary network's {@code bridge} makes {@code cni0} there, not in
 * the machine's namespace) and the machine's mount namespace ({@code nsenter --net}). Its root,
 * state, socket, runc state, CNI bin and conf dirs and the pause image all live in one temp dir;
 * sandboxes get the cgroup root {@link #cgroupRoot()}. The CNI bin dir holds {@code nugator} (a
 * symlink to dist's shim) and Debian's reference plugins.
 *
 * <p>{@link #start()} returns once the CRI answers {@code Version} and knows the sandbox image.
 * {@link #close()} removes every sandbox through the CRI, stops containerd, then removes what a
 * crash or a failed test may have left ({@link ContainerdCleanup}) and fails when anything remains.
 */
public final class Containerd implements AutoCloseable {
    private static final Duration START_DEADLINE = Duration.ofSeconds(60);
    private static final String ANSWERING = "answering";

    private final Path dir;
    private final Path netns;
    private final String cgroupRoot = Names.unique("ntcri");
    private final ContainerdCleanup cleanup;
    private ContainerdStartup startup;
    private Process process;
    private CriClient client;
    private boolean closed;

    private Containerd(Path dir, Path netns) {
        this.dir = dir;
        this.netns = netns;
        this.cleanup = new ContainerdCleanup(dir, cgroupRoot);
    }

    /** Starts configuring a containerd whose CNI plugins run in this network namespace (a path). */
    public static Builder in(Path netns) {
        return new Builder(netns);
    }

    /** The CNI network of the default runtime handler, and of any further handlers. */
    public static final class Builder {
        private final Path netns;
        private ObjectNode network;
        private final Map<String, ObjectNode> handlers = new LinkedHashMap<>();

        private Builder(Path netns) {
            this.netns = netns;
        }

        /** The conflist of the default runtime handler (every pod whose spec names no handler). */
        public Builder network(ObjectNode conflist) {
            this.network = conflist;
            return this;
        }

        /** A runtime handler {@code name} (runc too) whose pods get {@code conflist} instead. */
        public Builder handler(String name, ObjectNode conflist) {
            handlers.put(name, conflist);
            return this;
        }

        public Containerd start() {
            if (network == null) {
                throw new IllegalStateException("containerd needs a CNI network: call network(conflist) first");
            }
            Path dir;
            try {
                dir = Files.createTempDirectory("ntcri-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            var containerd = new Containerd(dir, netns);
            try {
                containerd.launch(network, handlers);
                return containerd;
            } catch (RuntimeException | AssertionError e) {
                try {
                    containerd.close();
                } catch (RuntimeException | AssertionError suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }

    /** Whether containerd, runc and busybox are installed. */
    public static boolean available() {
        return onPath("containerd") && onPath("ctr") && Files.isExecutable(Path.of("/usr/sbin/runc"))
                && Files.isExecutable(PauseImage.BUSYBOX);
    }

    public CriClient cri() {
        return client;
    }

    public Path socket() {
        return ContainerdConfig.socket(dir);
    }

    public Path dir() {
        return dir;
    }

    /** The cgroup under which this instance's pods are put (the kubelet's {@code kubepods}). */
    public String cgroupRoot() {
        return cgroupRoot;
    }

    /** A new pod object (fresh uid, attempt 0) under this instance's cgroup root. */
    public PodSandboxSpec pod(String namespace, String name) {
        return PodSandboxSpec.of(namespace, name, cgroupRoot);
    }

    /** How long the parts of the start took (null before it ends). */
    public ContainerdStartup startup() {
        return startup;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** containerd's log so far. */
    public String log() {
        try {
            return Files.readString(logFile());
        } catch (IOException e) {
            return "<cannot read " + logFile() + ": " + e + ">";
        }
    }

    private Path logFile() {
        return dir.resolve("containerd.log");
    }

    private void launch(ObjectNode network, Map<String, ObjectNode> handlers) {
        long t0 = System.nanoTime();
        var image = PauseImage.build(dir.resolve("image"));
        long t1 = System.nanoTime();
        startProcess(ContainerdConfig.write(dir, image.ref(), network, handlers));
        client = CriClient.connect(socket());
        awaitCri();
        long t2 = System.nanoTime();
        importImage(image);
        long t3 = System.nanoTime();
        startup = new ContainerdStartup(Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1), Duration.ofNanos(t3 - t2));
    }

    private void startProcess(Path config) {
        var command = List.of("nsenter", "--net=" + netns, "--", "containerd", "--config", config.toString());
        var builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private void awaitCri() {
        try {
            Await.until("containerd's CRI to answer Version", START_DEADLINE, this::criState, ANSWERING::equals);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n--- containerd log (tail) ---\n" + tail(), e);
        }
    }

    /** {@value #ANSWERING}, or why not yet; fails once containerd has exited. */
    private String criState() {
        if (!process.isAlive()) {
            throw new AssertionError("containerd exited with " + process.exitValue() + "; log:\n" + tail());
        }
        if (!Files.exists(socket())) {
            return "no socket yet at " + socket();
        }
        try {
            client.version();
            return ANSWERING;
        } catch (StatusRuntimeException e) {
            return e.getStatus().toString();
        }
    }

    private void importImage(PauseImage image) {
        Proc.of("ctr", "--address", socket().toString(), "-n", "k8s.io", "images", "import", image.archive().toString()).check();
        Await.until("the CRI to know the imported sandbox image " + image.ref(), () -> client.hasImage(image.ref()), known -> known);
    }

    /** The last 40 lines of containerd's log. */
    public String tail() {
        var lines = log().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /**
     * Stops and removes every sandbox through the CRI (stop, then remove, as the kubelet does),
     * returning the failures; a sandbox whose network cannot be torn down stays.
     */
    public List<String> removeAllSandboxes() {
        var failures = new ArrayList<String>();
        if (client == null || !isAlive()) {
            return failures;
        }
        try {
            for (var sandbox : client.listPodSandbox()) {
                try {
                    client.stopPodSandbox(sandbox.getId());
                    client.removePodSandbox(sandbox.getId());
                } catch (StatusRuntimeException e) {
                    failures.add(sandbox.getId() + ": " + e.getStatus());
                }
            }
        } catch (StatusRuntimeException e) {
            failures.add("ListPodSandbox: " + e.getStatus());
        }
        return failures;
    }

    /**
     * Removes every sandbox, stops containerd (SIGTERM, then SIGKILL), then whatever is left
     * (containers, shims, mounts, cgroups, shim sockets), keeps a copy of the log under
     * target/containerd-logs and deletes the directory; fails when anything could not be removed.
     * Safe twice.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        var failures = removeAllSandboxes();
        try {
            if (client != null) {
                client.close();
            }
            stopProcess();
            cleanup.keepLogCopy(logFile());
        } finally {
            cleanup.run(failures);
        }
    }

    private void stopProcess() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d.isEmpty() ? "." : d, command))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "containerd(" + dir + ", netns " + netns + ")";
    }
}
