package dev.nugator.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh cluster for every test about many nodes: a {@link Fabric}, three {@link NodeNamespace}s
 * on it (198.18.0.1-3), a three-member {@link EtcdCluster} with member i in node i, and one
 * nugatord per node started as an operator would start it:
 * {@code --store etcd://ENDPOINTS --node NAME --node-address 198.18.0.i --resync-interval 2}.
 * Pods ({@link ClusterPod}) are namespaces made by the test and attached through the socket of the
 * node they are "on". Nodes, members and daemons are numbered from 1, like their addresses. Each
 * daemon has its patch panel; {@link #panels()} shows what the panels hold.
 * The underlay is Ethernet-sized (MTU 1500) unless the lab ({@link #withUnderlayMtu}) or the test
 * method ({@link UnderlayMtu}) asks for more.
 *
 * <p>After each test, also a failed one, the lab plays kubelet draining the nodes: it brings back
 * any stopped etcd member or killed daemon, DELs every sandbox still attached, and then checks that
 * nothing leaked: no port or tunnel left in any node's panel and nothing of nugator's in any node
 * namespace, no pod record in the store, and, once everything is closed, no pod, node or panel
 * namespace, no nugatord or etcd process and no temp dir. Leaks fail the test (after being removed).
 *
 * <pre>{@code
 * @RegisterExtension
 * final ClusterLab lab = ClusterLab.create();
 *
 * @Test
 * void crossNode() {
 *     lab.applyTopology(yaml);
 *     ClusterPod a = lab.pod("a", 1);
 *     ClusterPod b = lab.pod("b", 2);
 *     a.attach();
 *     b.attach();
 *     a.awaitVxlanTo("eth1", 2);
 * }
 * }</pre>
 */
public final class ClusterLab implements BeforeEachCallback, AfterEachCallback {
    public static final int DEFAULT_NODES = 3;
    /** {@code --resync-interval} of every daemon, in seconds. */
    public static final int RESYNC_SECONDS = 2;

    private final int size;
    private final boolean tls;
    private final int underlayMtu;

    private final Resources resources = new Resources();
    private final List<ClusterPod> pods = new ArrayList<>();
    private ClusterNodes cluster;
    private ObjectNode network;

    private ClusterLab(int size, boolean tls, int underlayMtu) {
        this.size = size;
        this.tls = tls;
        this.underlayMtu = underlayMtu;
    }

    /** Three nodes, plain-http etcd, daemons at debug level, an Ethernet underlay. */
    public static ClusterLab create() {
        return new ClusterLab(DEFAULT_NODES, false, Fabric.ETHERNET_MTU);
    }

    /** Three nodes, etcd requiring client certificates; the daemons get the right ones. */
    public static ClusterLab tls() {
        return new ClusterLab(DEFAULT_NODES, true, Fabric.ETHERNET_MTU);
    }

    /**
     * The same lab on an underlay of MTU {@code mtu}: the fabric and every node's eth0 (9100 carries
     * a link of MTU 9000 with its VXLAN overhead). Each daemon reads it from its eth0 at start.
     * {@link UnderlayMtu} on a test method does the same for one test.
     */
    public ClusterLab withUnderlayMtu(int mtu) {
        return new ClusterLab(size, tls, mtu);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        try {
            cluster = new ClusterNodes(context.getTestMethod().map(m -> m.getAnnotation(UnderlayMtu.class))
                    .map(UnderlayMtu::value).orElse(underlayMtu));
            cluster.addNodes(size);
            cluster.startEtcd(tls);
            cluster.startDaemons(i -> daemonBuilder(i).start());
            network = NetConf.nugator(Names.unique("ntclu"), "1.0.0", daemon(1).socket());
        } catch (RuntimeException | AssertionError e) {
            try {
                closeEverything();
            } catch (Exception | AssertionError suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** A builder for node {@code i}'s daemon with the lab's flags (to start an extra daemon by hand, e.g. with other certificates). */
    public Nugatord.Builder daemonBuilder(int i) {
        var builder = Nugatord.in(node(i)).logLevel("debug");
        builder.args(etcd().daemonArgs().toArray(String[]::new));
        return builder.args("--node", nodeName(i), "--node-address", nodeIp(i), "--resync-interval", Integer.toString(RESYNC_SECONDS));
    }

    // ---------------------------------------------------------------- the cluster

    public int size() {
        return size;
    }

    public Fabric fabric() {
        return cluster.fabric();
    }

    /** Node {@code i} (1-based). */
    public NodeNamespace node(int i) {
        return cluster.node(i);
    }

    /** The {@code --node} name of node {@code i}: its namespace's name. */
    public String nodeName(int i) {
        return node(i).name();
    }

    /** The {@code --node-address} of node {@code i}, "198.18.0.i". */
    public String nodeIp(int i) {
        return node(i).ip();
    }

    public EtcdCluster etcd() {
        return cluster == null ? null : cluster.etcd();
    }

    public Nugatord daemon(int i) {
        return cluster.daemon(i);
    }

    /** nugatorctl talking to etcd directly ({@code --etcd ENDPOINTS} + TLS flags), run inside node 1. */
    public Nugatorctl ctl() {
        return Nugatorctl.viaEtcd(node(1).netns(), etcd().ctlArgs());
    }

    /** nugatorctl talking to node {@code i}'s nugatord through its socket. */
    public Nugatorctl ctl(int i) {
        return Nugatorctl.of(daemon(i));
    }

    /** {@code nugatorctl status -o json --etcd ...}. */
    public LinkStatusReport status() {
        return ctl().status();
    }

    /** {@code nugatorctl topology apply -f FILE --etcd ...}, required to succeed. */
    public void applyTopology(String yaml) {
        ctl().applyTopology(yaml).requireSuccess();
    }

    /** {@code nugatorctl topology delete NAME --etcd ...}, required to succeed. */
    public void deleteTopology(String name) {
        ctl().run("topology", "delete", name).requireSuccess();
    }

    // ---------------------------------------------------------------- pods

    /**
     * The network every pod is attached with (cniVersion 1.0.0, no delegates, links on); mutable.
     * Its {@code socket} is replaced per node by {@link #network(int)}.
     */
    public ObjectNode network() {
        return network;
    }

    public String networkName() {
        return network.path("name").asText();
    }

    /** The lab's network config as the runtime of node {@code i} passes it: with that node's socket. */
    public ObjectNode network(int node) {
        ObjectNode copy = network.deepCopy();
        copy.put("socket", daemon(node).socket().toString());
        return copy;
    }

    /** A pod {@code default/name} with a first sandbox, on node {@code node}; not attached yet. */
    public ClusterPod pod(String name, int node) {
        return pod("default", name, node);
    }

    public ClusterPod pod(String namespace, String name, int node) {
        checkNode(node);
        var pod = new ClusterPod(this, namespace, name, node);
        synchronized (pods) {
            pods.add(pod);
        }
        return pod;
    }

    /** Every pod made through the lab. */
    public List<ClusterPod> pods() {
        synchronized (pods) {
            return List.copyOf(pods);
        }
    }

    /**
     * Attaches every pod, {@code parallelism} at a time, each retried like kubelet retries a
     * sandbox ({@link ClusterPod#attachRetrying}) until {@code deadline} from now. {@code progress}
     * is called (from a worker thread) with the number of pods attached so far after each one, so a
     * test can inject a fault in the middle of the bring-up. Fails with every pod that did not make it.
     */
    public void attachAll(Collection<ClusterPod> all, int parallelism, Duration deadline, IntConsumer progress) {
        ClusterBringUp.attachAll(all, parallelism, deadline, progress);
    }

    /** DEL of every pod's current sandbox, {@code parallelism} at a time; each must exit 0. */
    public void detachAll(Collection<ClusterPod> all, int parallelism) {
        Parallel.forEach(List.copyOf(all), parallelism, ClusterPod::detach);
    }

    // ---------------------------------------------------------------- what is there

    /** The ports and tunnels in the nodes' panels, and what is in the node namespaces. */
    public ClusterPanels panels() {
        return new ClusterPanels(this);
    }

    /** What etcd holds under {@code /nugator/v1/}. */
    public ClusterStore store() {
        return new ClusterStore(etcd());
    }

    /** Every daemon's log tail without the gRPC/Netty wire chatter, for assertion messages. */
    public String logTails() {
        return cluster == null ? "" : cluster.logTails();
    }

    /** Closes {@code resource} after the test (before the daemons and the nodes), in reverse order. */
    public <T extends AutoCloseable> T track(T resource) {
        return resources.track(resource);
    }

    /** A temp dir removed after the test (and checked to be gone). */
    public Path tempDir() {
        return resources.tempDir();
    }

    // ---------------------------------------------------------------- after the test

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        new ClusterTeardown(this).run(context.getDisplayName());
    }

    /** The daemons that were started (all of them, unless the start-up failed half-way). */
    List<Nugatord> startedDaemons() {
        return cluster == null ? List.of() : cluster.daemons();
    }

    List<String> nodeNames() {
        return cluster == null ? List.of() : cluster.nodeNames();
    }

    List<Path> tempDirs() {
        return resources.tempDirs();
    }

    /** What the test tracked, every sandbox, then the machines; safe twice. */
    void closeEverything() throws Exception {
        var all = new ArrayList<AutoCloseable>(resources.drain());
        for (ClusterPod pod : pods()) {
            all.addAll(pod.allSandboxes());
        }
        all.add(cluster);
        synchronized (pods) {
            pods.clear();
        }
        cluster = null;
        CloseAll.closeAll(all);
    }

    void checkNode(int node) {
        if (node < 1 || node > size) {
            throw new IllegalArgumentException("node " + node + " is not one of 1.." + size);
        }
    }

    @Override
    public String toString() {
        return String.valueOf(cluster);
    }
}
