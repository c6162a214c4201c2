package dev.nugator.link;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nugator.cni.Json;
import dev.nugator.netlink.NetNamespace;
import dev.nugator.netlink.NetnsPath;
import dev.nugator.netlink.RtNetlink;
import dev.nugator.pairing.LinkRegistry;
import dev.nugator.pairing.Nodes;
import dev.nugator.store.EmbeddedKvStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real namespaces for the link engine's root tests: "nodes" (a namespace each, with an underlay
 * address on a veth to the next node, a panel and an engine of their own, all on one embedded
 * store) and "pods". Everything it makes is removed after each test, pass or fail; it never
 * touches the machine's own namespace.
 */
final class PanelLab implements AfterEachCallback {
    /** One node: its namespace, panel and engine. */
    record Node(String name, String netns, Path panelPath, Panel panel, PanelKernel kernel, LinkEngine engine) {
        String panelName() {
            return panelPath.getFileName().toString();
        }
    }

    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private final List<String> namespaces = new ArrayList<>();
    private final List<Path> panels = new ArrayList<>();
    private Path dir;
    private EmbeddedKvStore store;
    private LinkRegistry registry;
    private final List<Node> nodes = new ArrayList<>();
    private String fabric;

    /** The files of the lab's store (its database and write-ahead log), once {@link #registry} made it. */
    List<Path> storeFiles() {
        return List.of(dir.resolve("store.db"), dir.resolve("store.db-wal"));
    }

    LinkRegistry registry() {
        if (registry == null) {
            try {
                dir = Files.createTempDirectory("ntdlab-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.setProperty("org.sqlite.tmpdir", dir.toString());
            store = EmbeddedKvStore.open(dir.resolve("store.db"));
            registry = new LinkRegistry(store);
        }
        return registry;
    }

    /**
     * A node whose underlay is {@code 198.18.0.<n>/24} on eth0, a veth to a bridge in a fabric
     * namespace shared by every node of the test. The first node has no underlay address (links on
     * one node need none); the others do.
     */
    Node node(String name) {
        int n = nodes.size() + 1;
        if (fabric == null) {
            fabric = namespace("ntdf");
            ipIn(fabric, "link", "add", "br0", "type", "bridge");
            ipIn(fabric, "link", "set", "br0", "up");
        }
        String netns = namespace("ntdn");
        ipIn(netns, "link", "set", "lo", "up");
        ipIn(netns, "link", "add", "eth0", "type", "veth", "peer", "name", "n" + n, "netns", fabric);
        ipIn(fabric, "link", "set", "n" + n, "master", "br0", "up");
        ipIn(netns, "addr", "add", "198.18.0." + n + "/24", "dev", "eth0");
        ipIn(netns, "link", "set", "eth0", "up");
        var address = n == 1 ? Optional.<InetAddress>empty() : Optional.of(InetAddress.ofLiteral("198.18.0." + n));
        return start(name, netns, address);
    }

    /** Starts (or restarts, after {@link #stop}) a node's engine over its existing namespace and panel. */
    Node start(String name, String netns, Optional<InetAddress> address) {
        var existing = nodes.stream().filter(x -> x.name().equals(name)).findFirst();
        var panelPath = existing.map(Node::panelPath).orElseGet(() -> {
            var path = Path.of("/run/netns", "ntdp" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff)));
            panels.add(path);
            return path;
        });
        var panel = Panel.open(panelPath);
        RtNetlink nodeRt;
        try (var ns = NetNamespace.open(Path.of("/run/netns", netns))) {
            nodeRt = RtNetlink.openIn(ns);
        }
        var kernel = new PanelKernel(nodeRt, panel);
        var self = new ThisNode(name, address, 4789, 1500);
        var engine = new LinkEngine(registry(), kernel, self);
        self.record().ifPresent(r -> closeables.push(new Nodes(store).publish(r)));
        closeables.push(panel);
        closeables.push(kernel);
        var node = new Node(name, netns, panelPath, panel, kernel, engine);
        existing.ifPresent(nodes::remove);
        nodes.add(node);
        return node;
    }

    /** Stops a node's engine as a crash would: its kernel objects go, the panel stays bound. */
    void stop(Node node) {
        node.kernel().close();
        node.panel().close();
    }

    /** A pod namespace; returns its path. */
    NetnsPath pod() {
        String name = namespace("ntdq");
        ip("-n", name, "link", "set", "lo", "up");
        return NetnsPath.parse("netns", "/run/netns/" + name);
    }

    String namespace(String prefix) {
        String name = prefix + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        ip("netns", "add", name);
        namespaces.add(name);
        return name;
    }

    void deleteNamespace(NetnsPath netns) {
        String name = netns.path().getFileName().toString();
        ip("netns", "del", name);
        namespaces.remove(name);
    }

    /** {@code ip -j -d link show} of a namespace (a pod path or a name under /run/netns). */
    static List<JsonNode> links(String netnsName) {
        var links = new ArrayList<JsonNode>();
        parse(ipIn(netnsName, "-j", "-d", "link", "show")).forEach(links::add);
        return links;
    }

    static Optional<JsonNode> link(String netnsName, String ifname) {
        return links(netnsName).stream().filter(l -> l.path("ifname").asText().equals(ifname)).findFirst();
    }

    static String name(NetnsPath pod) {
        return pod.path().getFileName().toString();
    }

    static boolean carrier(JsonNode link) {
        for (var flag : link.path("flags")) {
            if (flag.asText().equals("LOWER_UP")) {
                return true;
            }
        }
        return false;
    }

    static String ipIn(String netnsName, String... args) {
        var all = new ArrayList<>(List.of("-n", netnsName));
        all.addAll(List.of(args));
        return ip(all.toArray(String[]::new));
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String ip(String... args) {
        var command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        return run(command);
    }

    static String run(List<String> command) {
        try {
            var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish in 20 s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(command + " failed (" + process.exitValue() + "): " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Throwable first = null;
        while (!closeables.isEmpty()) {
            try {
                closeables.pop().close();
            } catch (Exception | AssertionError e) {
                first = first == null ? e : first;
            }
        }
        for (var path : panels) {
            Panel.remove(path);
        }
        for (var name : namespaces) {
            try {
                ip("netns", "del", name);
            } catch (AssertionError e) {
                first = first == null ? e : first;
            }
        }
        if (store != null) {
            store.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        if (first instanceof Exception e) {
            throw e;
        }
        if (first instanceof AssertionError e) {
            throw e;
        }
    }

}
