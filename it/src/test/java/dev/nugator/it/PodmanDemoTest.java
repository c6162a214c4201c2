package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.testkit.FileTrees;
import dev.nugator.testkit.Dist;
import dev.nugator.testkit.Ipv4;
import dev.nugator.testkit.Json;
import dev.nugator.testkit.Names;
import dev.nugator.testkit.Netns;
import dev.nugator.testkit.NodeNamespace;
import dev.nugator.testkit.Nugatord;
import dev.nugator.testkit.Proc;
import dev.nugator.testkit.ProcResult;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The seed's demo with a real container runtime: podman (CNI backend, runc, a busybox root
 * filesystem, no image pulls) runs a container on a conflist of {@code loopback} followed by
 * {@code nugator} with the seed's two delegates. podman execs the real shim from a private CNI
 * plugin dir; nugatord runs in a node namespace, so the delegates create {@code cni0} and use the
 * macvlan master {@code eth0} there, never in the machine's root namespace.
 *
 * <p>Every podman directory (storage, run root, tmp, network configs, containers.conf) is private
 * to the test, so the machine's own podman state is neither read nor changed.
 */
class PodmanDemoTest {
    private static final Duration PODMAN_DEADLINE = Duration.ofSeconds(180);
    private static final Path RUNC = Path.of("/usr/sbin/runc");
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final Path CNI_CACHE = Path.of("/var/lib/cni");
    /** host-local names each lease file after the address it holds. */
    private static final Pattern LEASE_FILE = Pattern.compile("[0-9a-fA-F.:]+");

    @Test
    void podmanContainerGetsLoNet0AndNet1AndRemovingItReleasesBothDelegatesLeases() throws IOException {
        assumeTrue(isRoot(), "needs root: podman with the CNI backend and network namespaces");
        assumeTrue(onPath("podman") != null, "podman is not installed (make deps installs it)");
        Path work = Files.createTempDirectory("ntpodman-");
        boolean cniCacheExisted = Files.exists(CNI_CACHE);
        try (var node = NodeNamespace.create(); var daemon = Nugatord.in(node).logLevel("debug").start()) {
            var podman = new Podman(work, Names.unique("ntnet"), daemon);
            podman.prepare();
            String container = Names.unique("ntpod");
            try {
                String id = podman.runDetached(container);
                var inside = podman.interfacesInside(container);

                assertThat(inside.link("lo").flags()).as(inside.describe()).contains("UP");
                var net0 = inside.link("net0");
                assertThat(net0.flags()).as(inside.describe()).contains("UP");
                String net0Address = net0.onlyIpv4(inside);
                assertThat(net0Address).as(inside.describe()).endsWith("/24");
                assertThat(Ipv4.inRange(net0Address, "192.168.122.200", "192.168.122.216"))
                        .as("net0 %s in 192.168.122.200-216%n%s", net0Address, inside.describe()).isTrue();
                var net1 = inside.link("net1");
                assertThat(net1.flags()).as(inside.describe()).contains("UP");
                String net1Address = net1.onlyIpv4(inside);
                assertThat(net1Address).as(inside.describe()).endsWith("/16");
                assertThat(Ipv4.inSubnet(net1Address, "10.22.0.0/16"))
                        .as("net1 %s in 10.22.0.0/16%n%s", net1Address, inside.describe()).isTrue();

                // Delegate 0 has no name of its own and inherits the network's; delegate 1 is "mynet".
                assertThat(podman.leases())
                        .as("host-local leases while the container runs")
                        .containsExactlyInAnyOrder(podman.network() + "/" + Ipv4.stripPrefix(net0Address),
                                "mynet/" + Ipv4.stripPrefix(net1Address));

                podman.remove(container);

                assertThat(podman.containerNames()).as("containers podman still knows").doesNotContain(container);
                assertThat(podman.leases())
                        .as("host-local leases after `podman rm`; nugatord log:%n%s", Nugatord.tail(daemon.log()))
                        .isEmpty();
                assertThat(attachmentFiles(daemon, podman.network(), id))
                        .as("nugatord's attachment state after `podman rm`").isEmpty();
            } finally {
                podman.removeQuietly(container);
                podman.awaitOwnProcessesGone();
            }
        } finally {
            FileTrees.delete(work);
            if (!cniCacheExisted) {
                removeEmptyCniCache();
            }
        }
    }

    /** podman with every directory and setting of its own under {@code work}. */
    private static final class Podman {
        private final Path work;
        private final String network;
        private final Nugatord daemon;
        private final List<String> sandboxes = new ArrayList<>();

        Podman(Path work, String network, Nugatord daemon) {
            this.work = work;
            this.network = network;
            this.daemon = daemon;
        }

        String network() {
            return network;
        }

        Path rootfs() {
            return work.resolve("rootfs");
        }

        Path ipamDir() {
            return work.resolve("ipam");
        }

        void prepare() throws IOException {
            Path bin = Files.createDirectories(rootfs().resolve("bin"));
            Files.copy(BUSYBOX, bin.resolve("busybox"));
            for (String applet : List.of("sh", "ip", "ping", "sleep", "cat")) {
                Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            }
            // The shim resolves its dist dir through its own symlink, as in a real CNI bin dir.
            Path cniBin = Files.createDirectories(work.resolve("cni-bin"));
            Files.createSymbolicLink(cniBin.resolve("nugator"), Dist.shim());
            Path netDir = Files.createDirectories(work.resolve("net.d"));
            Files.writeString(netDir.resolve(network + ".conflist"), Json.write(conflist()));
            Files.writeString(work.resolve("containers.conf"), """
                    [network]
                    network_backend = "cni"
                    cni_plugin_dirs = ["%s", "%s"]
                    network_config_dir = "%s"
                    """.formatted(cniBin, Dist.SYSTEM_CNI_BIN, netDir));
        }

        /** {loopback, nugator with the seed's delegates}, leases kept under the test's own dir. */
        private ObjectNode conflist() {
            ObjectNode seed = Json.readObject(Dist.seedFixture("nugator-demo.conf"));
            ArrayNode delegates = (ArrayNode) seed.get("delegates");
            delegates.forEach(d -> ((ObjectNode) d.get("ipam")).put("dataDir", ipamDir().toString()));
            ObjectNode nugator = Json.object().put("type", "nugator").put("socket", daemon.socket().toString());
            nugator.set("delegates", delegates);
            ObjectNode conflist = Json.object().put("cniVersion", "1.0.0").put("name", network);
            conflist.putArray("plugins").add(Json.object().put("type", "loopback")).add(nugator);
            return conflist;
        }

        /** Starts a container that sleeps, returns its id once podman says it runs. */
        String runDetached(String name) {
            var run = podman("run", "-d", "--name", name, "--ulimit", "nofile=1024:1024",
                    "--ulimit", "nproc=1024:1024", "--network", network, "--rootfs", rootfs().toString(),
                    "/bin/sleep", "600");
            require(run, "podman run");
            var sandbox = podman("inspect", "--format", "{{.NetworkSettings.SandboxKey}}", name);
            if (sandbox.succeeded() && !sandbox.stdout().isBlank()) {
                sandboxes.add(Path.of(sandbox.stdout().strip()).getFileName().toString());
            }
            return run.stdout().strip();
        }

        Inside interfacesInside(String name) {
            var links = podman("exec", name, "/bin/ip", "-o", "link");
            require(links, "podman exec ip -o link");
            var addrs = podman("exec", name, "/bin/ip", "-o", "addr");
            require(addrs, "podman exec ip -o addr");
            return Inside.parse(links.stdout(), addrs.stdout());
        }

        void remove(String name) {
            require(podman("rm", "-f", "-t", "0", name), "podman rm");
        }

        void removeQuietly(String name) {
            podman("rm", "-f", "-t", "0", "--ignore", name);
            // podman removes the container's netns itself; make sure a failed teardown leaves none.
            sandboxes.forEach(Netns::delete);
        }

        List<String> containerNames() {
            var ps = podman("ps", "-a", "--format", "{{.Names}}");
            require(ps, "podman ps");
            return ps.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        }

        /** "network/address" of every host-local lease under the test's dataDir. */
        Set<String> leases() throws IOException {
            var leases = new TreeSet<String>();
            if (!Files.isDirectory(ipamDir())) {
                return leases;
            }
            try (Stream<Path> files = Files.walk(ipamDir())) {
                files.filter(Files::isRegularFile)
                        .filter(f -> LEASE_FILE.matcher(f.getFileName().toString()).matches())
                        .forEach(f -> leases.add(ipamDir().relativize(f).toString()));
            }
            return leases;
        }

        /** conmon and `podman container cleanup` outlive the podman command; wait for ours to end. */
        void awaitOwnProcessesGone() {
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

        private ProcResult podman(String... args) {
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
            return Proc.of(command).env("CONTAINERS_CONF", work.resolve("containers.conf").toString())
                    .deadline(PODMAN_DEADLINE).run();
        }

        private void require(ProcResult result, String what) {
            if (!result.succeeded()) {
                throw new AssertionError(what + " failed: " + result.describe()
                        + "\n--- nugatord log (tail) ---\n" + Nugatord.tail(daemon.log()));
            }
        }
    }

    /** What {@code ip -o link} and {@code ip -o addr} (busybox) print inside the container. */
    private record Inside(Map<String, LinkView> links, String rawLinks, String rawAddrs) {
        private static final Pattern LINK_LINE = Pattern.compile("^\\d+:\\s+([^:@\\s]+)(?:@\\S+)?:\\s+<([^>]*)>");
        private static final Pattern ADDR_LINE = Pattern.compile("^\\d+:\\s+(\\S+)\\s+inet\\s+(\\S+)");

        static Inside parse(String linkText, String addrText) {
            var links = new LinkedHashMap<String, LinkView>();
            linkText.lines().forEach(line -> {
                var m = LINK_LINE.matcher(line);
                if (m.find()) {
                    links.put(m.group(1), new LinkView(Set.of(m.group(2).split(",")), new ArrayList<>()));
                }
            });
            addrText.lines().forEach(line -> {
                var m = ADDR_LINE.matcher(line);
                if (m.find() && links.containsKey(m.group(1))) {
                    links.get(m.group(1)).ipv4().add(m.group(2));
                }
            });
            return new Inside(links, linkText, addrText);
        }

        LinkView link(String name) {
            var link = links.get(name);
            if (link == null) {
                throw new AssertionError("no " + name + " inside the container\n" + describe());
            }
            return link;
        }

        String describe() {
            return "inside the container:\n" + rawLinks + rawAddrs;
        }
    }

    private record LinkView(Set<String> flags, List<String> ipv4) {
        String onlyIpv4(Inside inside) {
            assertThat(ipv4).as("IPv4 addresses of a link%n%s", inside.describe()).hasSize(1);
            return ipv4.getFirst();
        }
    }

    /** Files nugatord still keeps for the container's attachment to the network. */
    private static List<Path> attachmentFiles(Nugatord daemon, String network, String containerId) throws IOException {
        Path dir = daemon.stateDir().resolve("attachments").resolve(network).resolve(containerId);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:"))
                    .anyMatch(l -> l.split("\\s+")[2].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    private static Path onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** podman (libcni) made /var/lib/cni/results for its cache; remove it again if it is empty. */
    private static void removeEmptyCniCache() {
        for (Path dir : List.of(CNI_CACHE.resolve("results"), CNI_CACHE)) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException notEmptySomeoneElseUsesIt) {
                return;
            }
        }
    }
}
