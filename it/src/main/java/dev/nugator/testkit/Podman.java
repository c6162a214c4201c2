package dev.nugator.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * podman as a real container runtime for the tests: the CNI network backend, runc (crun fails on
 * this kind of machine), a busybox root filesystem (no image pulls), and every directory and
 * setting (storage, run root, tmp, network configs, containers.conf, CNI plugin dirs) private to
 * one instance, so the machine's own podman state is neither read nor changed. podman execs the
 * real shim through a symlink in a private CNI bin dir, then Debian's plugins.
 *
 * <p>{@link #close()} removes every container started through it, every sandbox namespace it saw,
 * waits for conmon and {@code podman container cleanup} to end, removes its directory, and removes
 * {@code /var/lib/cni} again when podman (libcni's cache) created it and left it empty.
 */
public final class Podman implements AutoCloseable {
    public static final Path RUNC = Path.of("/usr/sbin/runc");
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final Path CNI_CACHE = Path.of("/var/lib/cni");
    private static final Duration DEADLINE = Duration.ofSeconds(180);
    private static final List<String> APPLETS = List.of("sh", "ip", "ping", "sleep", "cat", "echo");

    private final Path work;
    private final String network;
    private final boolean cniCacheExisted;
    private final Set<String> containers = new LinkedHashSet<>();
    private final Set<String> sandboxes = new LinkedHashSet<>();
    private boolean closed;

    private Podman(Path work, String network, boolean cniCacheExisted) {
        this.work = work;
        this.network = network;
        this.cniCacheExisted = cniCacheExisted;
    }

    /** Whether podman can run here: root, podman on PATH, runc and busybox present. */
    public static boolean available() {
        return RootCondition.isRoot() && onPath("podman") && Files.isExecutable(RUNC) && Files.isExecutable(BUSYBOX);
    }

    /** A private podman whose only network is {@code conflist} (its "name" is the network's name). */
    public static Podman create(ObjectNode conflist) {
        Path work;
        try {
            work = Files.createTempDirectory("ntpodman-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var podman = new Podman(work, conflist.path("name").asText(), Files.exists(CNI_CACHE));
        try {
            podman.prepare(conflist);
            return podman;
        } catch (IOException e) {
            podman.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            podman.close();
            throw e;
        }
    }

    private void prepare(ObjectNode conflist) throws IOException {
        Path bin = Files.createDirectories(rootfs().resolve("bin"));
        Files.copy(BUSYBOX, bin.resolve("busybox"));
        for (String applet : APPLETS) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        Path cniBin = Files.createDirectories(work.resolve("cni-bin"));
        Files.createSymbolicLink(cniBin.resolve("nugator"), Dist.shim());
        Path netDir = Files.createDirectories(work.resolve("net.d"));
        Files.writeString(netDir.resolve(network + ".conflist"), Json.write(conflist));
        Files.writeString(work.resolve("containers.conf"), """
                [network]
                network_backend = "cni"
                cni_plugin_dirs = ["%s", "%s"]
                network_config_dir = "%s"
                """.formatted(cniBin, Dist.SYSTEM_CNI_BIN, netDir));
    }

    public String network() {
        return network;
    }

    /** A directory of the instance's own, removed with it (e.g. for host-local's dataDir). */
    public Path work() {
        return work;
    }

    public Path rootfs() {
        return work.resolve("rootfs");
    }

    /** Runs {@code podman <private flags> args...}; the caller inspects the result. */
    public ProcResult podman(String... args) {
        var command = new ArrayList<>(List.of("podman",
                "--root", work.resolve("storage").toString(),
                "--runroot", work.resolve("run").toString(),
                "--tmpdir", work.resolve("tmp").toString(),
                "--storage-driver", "vfs",
                "--events-backend", "file",
                "--cgroup-manager", "cgroupfs",
                "--runtime", RUNC.toString(),
                "--network-backend", "cni",
                "--network-config-dir", work.resolve("net.d").toString()));
        command.addAll(List.of(args));
        return Proc.of(command).env("CONTAINERS_CONF", work.resolve("containers.conf").toString()).deadline(DEADLINE).run();
    }

    /**
     * {@code podman run -d --name NAME --network NETWORK --rootfs ... command...}; the result as podman
     * gave it (stdout is the container id on success). The container and its sandbox are removed at close.
     */
    public ProcResult runDetached(String name, String... command) {
        containers.add(name);
        var args = new ArrayList<>(List.of("run", "-d", "--name", name, "--ulimit", "nofile=1024:1024",
                "--ulimit", "nproc=1024:1024", "--network", network, "--rootfs", rootfs().toString()));
        args.addAll(List.of(command));
        var result = podman(args.toArray(String[]::new));
        rememberSandbox(name);
        return result;
    }

    /**
     * {@code podman run --rm --network none OPTIONS IMAGE command...}: a command of an image (one
     * loaded with {@code podman load} into this instance), in a network namespace of its own.
     */
    public ProcResult runImage(List<String> options, String image, String... command) {
        return podman(imageRun(List.of("--rm"), options, image, command));
    }

    /** The same, detached, as container NAME (removed at close); stdout is its id on success. */
    public ProcResult startImage(String name, List<String> options, String image, String... command) {
        containers.add(name);
        return podman(imageRun(List.of("-d", "--name", name), options, image, command));
    }

    private static String[] imageRun(List<String> how, List<String> options, String image, String... command) {
        var args = new ArrayList<>(List.of("run", "--network", "none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"));
        args.addAll(how);
        args.addAll(options);
        args.add(image);
        args.addAll(List.of(command));
        return args.toArray(String[]::new);
    }

    /** {@code podman restart -t 0 NAME} (stop: CNI DEL; start: a new sandbox and CNI ADD). */
    public ProcResult restart(String name) {
        var result = podman("restart", "-t", "0", name);
        rememberSandbox(name);
        return result;
    }

    public ProcResult exec(String name, String... command) {
        var args = new ArrayList<>(List.of("exec", name));
        args.addAll(List.of(command));
        return podman(args.toArray(String[]::new));
    }

    /** Everything the container printed so far (all its runs). */
    public String logs(String name) {
        var result = podman("logs", name);
        return result.stdout() + result.stderr();
    }

    /** {@code podman rm -f -t 0 NAMES...}. */
    public ProcResult remove(String... names) {
        var args = new ArrayList<>(List.of("rm", "-f", "-t", "0"));
        args.addAll(List.of(names));
        return podman(args.toArray(String[]::new));
    }

    /** Names of all containers podman knows (running or not). */
    public List<String> containerNames() {
        var ps = podman("ps", "-a", "--format", "{{.Names}}").requireSuccess();
        return ps.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The container's network namespace path now ({@code /run/netns/netns-...}), if it has one. */
    public Optional<Path> sandbox(String name) {
        var inspect = podman("inspect", "--format", "{{.NetworkSettings.SandboxKey}}", name);
        if (!inspect.succeeded() || inspect.stdout().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Path.of(inspect.stdout().strip()));
    }

    /** Names (under /run/netns) of every sandbox namespace seen for the containers of this instance. */
    public Set<String> sandboxesSeen() {
        return Set.copyOf(sandboxes);
    }

    private void rememberSandbox(String name) {
        sandbox(name).ifPresent(p -> sandboxes.add(p.getFileName().toString()));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!containers.isEmpty() && Files.isDirectory(work.resolve("storage"))) {
                var args = new ArrayList<>(List.of("rm", "-f", "-t", "0", "--ignore"));
                args.addAll(containers);
                podman(args.toArray(String[]::new));
            }
        } finally {
            sandboxes.forEach(Netns::delete);
            awaitOwnProcessesGone();
            FileTrees.delete(work);
            if (!cniCacheExisted) {
                removeEmptyCniCache();
            }
        }
    }

    /** conmon and {@code podman container cleanup} outlive the podman command; wait for ours to end. */
    private void awaitOwnProcessesGone() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!ownProcesses().isEmpty() && System.nanoTime() < deadline) {
            FileTrees.pause(100);
        }
        ownProcesses().forEach(ProcessHandle::destroyForcibly);
    }

    private List<ProcessHandle> ownProcesses() {
        String marker = work.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .toList();
    }

    private static void removeEmptyCniCache() {
        for (Path dir : List.of(CNI_CACHE.resolve("results"), CNI_CACHE)) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException notEmptySomeoneElseUsesIt) {
                return;
            }
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir.isEmpty() ? "." : dir, command))) {
                return true;
            }
        }
        return false;
    }
}
