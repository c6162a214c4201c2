package dev.nugator.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh node for every test that is about links: its own node namespace, its own nugatord (and
 * so its own store), a nugator network without delegates, and pods known by name. Links live in the
 * store and ports in the daemon's panel, so a node shared between tests would let one test's leftovers
 * fail the next one's "nothing is left"; a daemon start costs about a second and a half.
 * Everything (pods, daemon, node, temp dirs) is removed after each test, also when it fails.
 *
 * <pre>{@code
 * @RegisterExtension
 * final LinkLab lab = LinkLab.create();
 *
 * @Test
 * void linkUp() {
 *     lab.ctl().applyTopology(yaml).requireSuccess();
 *     LabPod r1 = lab.pod("r1");
 *     r1.add().requireSuccess();
 * }
 * }</pre>
 */
public final class LinkLab implements BeforeEachCallback, AfterEachCallback {
    private final UnaryOperator<Nugatord.Builder> options;
    private final Resources resources = new Resources();
    private NodeNamespace node;
    private Nugatord daemon;
    private ObjectNode network;

    private LinkLab(UnaryOperator<Nugatord.Builder> options) {
        this.options = options;
    }

    /** A lab whose nugatord logs at debug level (the log is kept under target/nugatord-logs). */
    public static LinkLab create() {
        return new LinkLab(b -> b.logLevel("debug"));
    }

    public static LinkLab create(UnaryOperator<Nugatord.Builder> options) {
        return new LinkLab(options);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        node = NodeNamespace.create();
        try {
            daemon = options.apply(Nugatord.in(node)).start();
        } catch (RuntimeException | AssertionError e) {
            node.close();
            throw e;
        }
        network = NetConf.nugator(Names.unique("ntlinks"), "1.0.0", daemon.socket());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        var all = new ArrayDeque<AutoCloseable>(resources.drain());
        if (daemon != null) {
            all.addLast(daemon);
        }
        if (node != null) {
            all.addLast(node);
        }
        CloseAll.closeAll(all);
    }

    public NodeNamespace node() {
        return node;
    }

    public Nugatord daemon() {
        return daemon;
    }

    public Path socket() {
        return daemon.socket();
    }

    public Nugatorctl ctl() {
        return Nugatorctl.of(daemon);
    }

    /** The network config every pod of the lab is attached with (cniVersion 1.0.0, no delegates); mutable. */
    public ObjectNode network() {
        return network;
    }

    public String networkName() {
        return network.path("name").asText();
    }

    /** A pod named {@code default/name} with a first sandbox (netns and container id); not attached yet. */
    /** Announces one link with nugatorctl's flags, failing the test if nugatord refuses it. */
    public void announce(String pod, String ifname, String address, String pair, String pairIfname, String pairAddress) {
        ctl().run("announce", "--pod-name", pod, "--local-ifname", ifname, "--local-ip", address,
                "--pair-name", pair, "--pair-ifname", pairIfname, "--pair-ip", pairAddress).requireSuccess();
    }

    public LabPod pod(String name) {
        return pod("default", name);
    }

    public LabPod pod(String namespace, String name) {
        return new LabPod(this, namespace, name);
    }

    /** Closes {@code resource} after the test (before the daemon and the node), in reverse order. */
    public <T extends AutoCloseable> T track(T resource) {
        return resources.track(resource);
    }

    /** A temp dir removed after the test. */
    public Path tempDir() {
        return resources.tempDir();
    }

    /** What nugatord holds in its panel now: every port and tunnel (all but lo). */
    public List<Link> panelDevices() {
        return daemon.panel().links().stream().filter(l -> !l.name().equals("lo")).toList();
    }

    public List<String> panelNames() {
        return panelDevices().stream().map(Link::name).toList();
    }

    /** The port of a link's end in the panel: the veth peer of the pod's interface. */
    public Link port(String linkId, String side) {
        return daemon.panel().requireLink(PanelPorts.port(linkId, side));
    }

    /** What is in the node's own namespace besides what the node had (lo, eth0): nothing of nugator's should be. */
    public List<String> strayInNode() {
        return node.netns().linkNames().stream().filter(n -> !n.equals("lo") && !n.equals(NodeNamespace.UPLINK)).toList();
    }

    /** {@code nugatorctl status -o json}. */
    public LinkStatusReport status() {
        return ctl().status();
    }

    /** nugatord's attachment records still on disk (any network, any container). */
    public List<Path> attachmentRecords() {
        Path dir = daemon.stateDir().resolve("attachments");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tail of nugatord's log, for assertion messages. */
    public String logTail() {
        return Nugatord.tail(daemon.log());
    }
}
