package dev.nugator.testkit.cri;

import dev.nugator.testkit.Await;
import dev.nugator.testkit.FileTrees;
import dev.nugator.testkit.Proc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Removes what one containerd instance may leave once containerd itself has stopped: a sandbox the
 * CRI could not remove still has a runc container, a shim (shims outlive containerd by design), a
 * root filesystem, /dev/shm and network namespace mounted under the instance's directory, and a
 * cgroup. Then the directories that only the instance's shims and libcni create outside its own
 * directory ({@code /run/containerd/s}, {@code /var/lib/cni}) go when they were not there before
 * and are empty. Anything that survives this is reported, with the sandboxes the CRI refused to remove.
 */
final class ContainerdCleanup {
    private static final String NAMESPACE = "k8s.io";
    private static final Path RUN_CONTAINERD = Path.of("/run/containerd");
    private static final Path CNI_CACHE = Path.of("/var/lib/cni");
    private static final Duration GONE_DEADLINE = Duration.ofSeconds(30);

    private final Path dir;
    private final String cgroupRoot;
    private final boolean runContainerdExisted = Files.exists(RUN_CONTAINERD);
    private final boolean cniCacheExisted = Files.exists(CNI_CACHE);

    ContainerdCleanup(Path dir, String cgroupRoot) {
        this.dir = dir;
        this.cgroupRoot = cgroupRoot;
    }

    /** Everything after containerd has stopped; {@code failures} are the CRI's refusals so far. */
    void run(List<String> failures) {
        var problems = new ArrayList<>(failures);
        Set<String> containers = containerIds();
        containers.forEach(this::deleteContainer);
        HostTraces.killAll(HostTraces.processesInCgroup(cgroupRoot));
        HostTraces.killAll(HostTraces.processesMentioning(dir.toString()));
        problems.addAll(awaitProcessesGone());
        problems.addAll(HostTraces.unmountAll(dir).stream().map(p -> "still mounted: " + p).toList());
        try {
            HostTraces.removeCgroups(cgroupRoot);
        } catch (UncheckedIOException e) {
            problems.add(e.getMessage());
        }
        problems.addAll(HostTraces.cgroupDirs(cgroupRoot).stream().map(p -> "cgroup left: " + p).toList());
        containers.forEach(this::removeShimSocket);
        containers.forEach(ContainerdCleanup::removeCachedResults);
        if (HostTraces.mountsUnder(dir).isEmpty()) {
            FileTrees.delete(dir);
        }
        removeSharedDirsIfOurs();
        if (Files.exists(dir)) {
            problems.add("directory left: " + dir);
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("containerd " + dir + " left things behind (removed what could be): " + problems);
        }
    }

    /**
     * Ids of the sandboxes this instance made: the CRI's sandbox dirs (made before the CNI ADD), the
     * task bundles and runc's state.
     */
    private Set<String> containerIds() {
        var ids = new TreeSet<String>();
        ids.addAll(names(ContainerdConfig.root(dir).resolve(ContainerdConfig.CRI_PLUGIN).resolve("sandboxes")));
        ids.addAll(names(ContainerdConfig.state(dir).resolve(ContainerdConfig.CRI_PLUGIN).resolve("sandboxes")));
        ids.addAll(names(ContainerdConfig.state(dir).resolve("io.containerd.runtime.v2.task").resolve(NAMESPACE)));
        ids.addAll(names(ContainerdConfig.runcRoot(dir).resolve(NAMESPACE)));
        return ids;
    }

    private void deleteContainer(String id) {
        Path runcRoot = ContainerdConfig.runcRoot(dir).resolve(NAMESPACE);
        if (Files.isDirectory(runcRoot.resolve(id))) {
            Proc.of("runc", "--root", runcRoot.toString(), "delete", "--force", id).deadline(Duration.ofSeconds(30)).run();
        }
    }

    private List<String> awaitProcessesGone() {
        try {
            Await.until("the killed processes of " + dir + " to end", GONE_DEADLINE, this::leftProcesses, List::isEmpty);
            return List.of();
        } catch (AssertionError e) {
            return HostTraces.describe(leftProcesses()).stream().map(p -> "process left: " + p).toList();
        }
    }

    private List<ProcessHandle> leftProcesses() {
        var left = new ArrayList<>(HostTraces.processesMentioning(dir.toString()));
        left.addAll(HostTraces.processesInCgroup(cgroupRoot));
        return left;
    }

    /**
     * containerd 1.6's shims listen on {@code /run/containerd/s/<sha256(address/namespace/id)>},
     * whatever the instance's state dir; a shim killed above leaves its socket there.
     */
    private void removeShimSocket(String id) {
        String key = ContainerdConfig.socket(dir) + "/" + NAMESPACE + "/" + id;
        try {
            Files.deleteIfExists(RUN_CONTAINERD.resolve("s").resolve(sha256(key)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** libcni's cache of a sandbox whose DEL never came: {@code /var/lib/cni/results/<network>-<id>-<ifname>}. */
    private static void removeCachedResults(String id) {
        Path results = CNI_CACHE.resolve("results");
        if (!Files.isDirectory(results)) {
            return;
        }
        try (Stream<Path> files = Files.list(results)) {
            for (Path file : files.filter(f -> f.getFileName().toString().contains("-" + id + "-")).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void removeSharedDirsIfOurs() {
        if (!runContainerdExisted) {
            HostTraces.removeIfEmpty(RUN_CONTAINERD.resolve("s"), RUN_CONTAINERD.getParent());
        }
        if (!cniCacheExisted) {
            HostTraces.removeIfEmpty(CNI_CACHE.resolve("results"), CNI_CACHE.getParent());
        }
    }

    /** Copies containerd's log to target/containerd-logs (when run from a Maven module) for post-mortems. */
    void keepLogCopy(Path log) {
        try {
            Path target = Path.of("target");
            if (Files.isDirectory(target) && Files.exists(log)) {
                Path logs = Files.createDirectories(target.resolve("containerd-logs"));
                Files.copy(log, logs.resolve(dir.getFileName() + ".log"));
            }
        } catch (IOException ignored) {
            // a missing post-mortem copy must not fail the test that is cleaning up
        }
    }

    private static Set<String> names(Path parent) {
        if (!Files.isDirectory(parent)) {
            return Set.of();
        }
        try (Stream<Path> children = Files.list(parent)) {
            return new TreeSet<>(children.map(p -> p.getFileName().toString()).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
