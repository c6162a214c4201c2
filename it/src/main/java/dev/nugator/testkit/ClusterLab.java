package dev.nugator.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh cluster for every test about many nodes: a {@link Fabric}, three {@link NodeNamespace}s
 * on it (198.18.0.1-3), a three-member {@link EtcdCluster} with member i in node i, and one
 * nugatord per node started as an operator would start it:
 * {@code --store etcd://ENDPOINTS --node NAME --node-address 198.18.0.i --resync-interval 2}.
 * Pods ({@link ClusterPod}) are namespaces made by the test and attached through the socket of the
 * node they are "on". Nodes, members and daemons are numbered from 1, like their addresses.
 *
 * <p>After each test, also a failed one, the lab plays kubelet draining the nodes: it brings back
 * any stopped etcd member or killed daemon, DELs every sandbox still attached, and then checks that
 * nothing leaked: no port or tunnel left in any node's panel and nothing of nugator's in any node namespace, no pod record
 * in the store, and, once everything is closed, no pod or node namespace, no nugatord or etcd
 * process and no temp dir. Leaks fail the test (after being removed).
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
    public static final String KEYS = "/nugator/v1/";
    public static final String LINKS = KEYS + "links/";
    public static final String TOPOLOGIES = KEYS + "topologies/";
    public static final String PODS = KEYS + "pods/";
    public static final String NODES = KEYS + "nodes/";
    public static final String VNIS = KEYS + "vnis/";
    public static final String LINK_VNIS = KEYS + "link-vnis/";
    public static final String ERRORS = KEYS + "errors/";
    /** How long the drain after a test waits for the product to tidy up. */
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(20);
    private static final Duration TEARDOWN_CALL_DEADLINE = Duration.ofSeconds(40);
    /** Library loggers that at debug level print every gRPC frame and would fill a log tail. */
    private static final java.util.regex.Pattern LIBRARY_DEBUG =
            java.util.regex.Pattern.compile("\\b(DEBUG|TRACE) (io\\.netty|io\\.grpc|io\\.etcd|Netty|Grpc|KVImpl)\\S* - ");

    private final int size;
    private final boolean tls;
    private final List<String> daemonArgs;
    private final UnaryOperator<Nugatord.Builder> options;

    private final Resources resources = new Resources();
    private final List<ClusterPod> pods = new ArrayList<>();
    private Fabric fabric;
    private final List<NodeNamespace> nodes = new ArrayList<>();
    private EtcdCluster etcd;
    private Nugatord[] daemons;
    private ObjectNode network;

    private ClusterLab(int size, boolean tls, List<String> daemonArgs, UnaryOperator<Nugatord.Builder> options) {
        this.size = size;
        this.tls = tls;
        this.daemonArgs = List.copyOf(daemonArgs);
        this.options = options;
    }

    /** Three nodes, plain-http etcd, daemons at debug level. */
    public static ClusterLab create() {
        return new ClusterLab(DEFAULT_NODES, false, List.of(), b -> b.logLevel("debug"));
    }

    /** Three nodes, etcd requiring client certificates; the daemons get the right ones. */
    public static ClusterLab tls() {
        return new ClusterLab(DEFAULT_NODES, true, List.of(), b -> b.logLevel("debug"));
    }

    /** The same lab with further nugatord flags for every daemon (after the lab's own). */
    public ClusterLab withDaemonArgs(String... args) {
        var all = new ArrayList<>(daemonArgs);
        all.addAll(List.of(args));
        return new ClusterLab(size, tls, all, options);
    }

    /** The same lab with further daemon options (log level, command timeout, ...). */
    public ClusterLab withOptions(UnaryOperator<Nugatord.Builder> more) {
        UnaryOperator<Nugatord.Builder> before = options;
        return new ClusterLab(size, tls, daemonArgs, b -> more.apply(before.apply(b)));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        try {
            fabric = Fabric.create();
            for (int i = 0; i < size; i++) {
                nodes.add(NodeNamespace.on(fabric));
            }
            etcd = tls ? EtcdCluster.startTls(nodes) : EtcdCluster.start(nodes);
            daemons = new Nugatord[size];
            startDaemons();
            network = NetConf.nugator(Names.unique("ntclu"), "1.0.0", daemons[0].socket());
        } catch (RuntimeException | AssertionError e) {
            try {
                closeEverything();
            } catch (Exception | AssertionError suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void startDaemons() {
        var failures = new ArrayList<Throwable>();
        try (ExecutorService pool = Executors.newFixedThreadPool(size)) {
            var starts = new ArrayList<Future<Nugatord>>();
            for (int i = 1; i <= size; i++) {
                int node = i;
                starts.add(pool.submit(() -> daemonBuilder(node).start()));
            }
            for (int i = 0; i < size; i++) {
                try {
                    daemons[i] = starts.get(i).get();
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.add(e);
                }
            }
        }
        if (!failures.isEmpty()) {
            var error = new AssertionError("nugatord did not start on every node of " + nodes, failures.getFirst());
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
    }

    /** A builder for node {@code i}'s daemon with the lab's flags (to start an extra daemon by hand, e.g. with other certificates). */
    public Nugatord.Builder daemonBuilder(int i) {
        var builder = options.apply(Nugatord.in(node(i)));
        builder.args(etcd.daemonArgs().toArray(String[]::new));
        builder.args("--node", nodeName(i), "--node-address", nodeIp(i), "--resync-interval", Integer.toString(RESYNC_SECONDS));
        builder.args(daemonArgs.toArray(String[]::new));
        return builder;
    }

    // ---------------------------------------------------------------- the cluster

    public int size() {
        return size;
    }

    public Fabric fabric() {
        return fabric;
    }

    /** Node {@code i} (1-based). */
    public NodeNamespace node(int i) {
        return nodes.get(i - 1);
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
        return etcd;
    }

    /** "198.18.0.1:2379,198.18.0.2:2379,198.18.0.3:2379". */
    public String endpoints() {
        return etcd.endpoints();
    }

    public Nugatord daemon(int i) {
        return daemons[i - 1];
    }

    /** Kills node {@code i}'s nugatord with SIGKILL, as a crash would. */
    public void killDaemon(int i) {
        daemon(i).kill();
    }

    /** Starts node {@code i}'s nugatord again with the same flags, socket and state dir. */
    public void restartDaemon(int i) {
        daemon(i).restart();
    }

    /** nugatorctl talking to etcd directly ({@code --etcd ENDPOINTS} + TLS flags), run inside node 1. */
    public Nugatorctl ctl() {
        return Nugatorctl.viaEtcd(node(1).netns(), etcd.ctlArgs());
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
        Instant until = Instant.now().plus(deadline);
        var done = new AtomicInteger();
        var gate = new Semaphore(parallelism);
        var failures = new ArrayList<Throwable>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<?>>();
            for (ClusterPod pod : all) {
                futures.add(pool.submit(() -> {
                    gate.acquireUninterruptibly();
                    try {
                        pod.attachRetrying(until);
                    } finally {
                        gate.release();
                    }
                    progress.accept(done.incrementAndGet());
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.add(e);
                }
            }
        }
        if (!failures.isEmpty()) {
            var error = new AssertionError(failures.size() + " of " + all.size() + " pods were not attached by the deadline;"
                    + " first: " + failures.getFirst().getMessage(), failures.getFirst());
            failures.stream().skip(1).limit(5).forEach(error::addSuppressed);
            throw error;
        }
    }

    public void attachAll(Collection<ClusterPod> all, int parallelism, Duration deadline) {
        attachAll(all, parallelism, deadline, n -> { });
    }

    /** DEL of every pod's current sandbox, {@code parallelism} at a time; each must exit 0. */
    public void detachAll(Collection<ClusterPod> all, int parallelism) {
        Parallel.forEach(List.copyOf(all), parallelism, ClusterPod::detach);
    }

    // ---------------------------------------------------------------- what is there

    /**
     * What node {@code i} holds for links now: every device in its panel but lo, and anything in
     * the node's own namespace besides lo and eth0 (where nugator must leave nothing).
     */
    public List<Link> strayInterfaces(int i) {
        var stray = new java.util.ArrayList<Link>(daemon(i).panel().exists()
                ? daemon(i).panel().links().stream().filter(l -> !l.name().equals("lo")).toList() : List.of());
        node(i).netns().links().stream().filter(l -> !l.name().equals("lo") && !l.name().equals(NodeNamespace.UPLINK)).forEach(stray::add);
        return stray;
    }

    /** {@link #strayInterfaces(int)} of every node, by node; nodes without any are left out. */
    public Map<Integer, List<String>> strayInterfaces() {
        var all = new TreeMap<Integer, List<String>>();
        for (int i = 1; i <= size; i++) {
            var names = strayInterfaces(i).stream().map(l -> l.name() + "(" + l.kind() + ")").toList();
            if (!names.isEmpty()) {
                all.put(i, names);
            }
        }
        return all;
    }

    /** {@code vnis/<vni>} → the link id holding it. */
    public Map<Integer, String> vnis() {
        var vnis = new TreeMap<Integer, String>();
        etcd.get(VNIS).forEach((k, v) -> vnis.put(Integer.parseInt(k.substring(VNIS.length())), v.strip()));
        return vnis;
    }

    /** {@code link-vnis/<link id>} → its VNI. */
    public Map<String, Integer> linkVnis() {
        var vnis = new TreeMap<String, Integer>();
        etcd.get(LINK_VNIS).forEach((k, v) -> vnis.put(k.substring(LINK_VNIS.length()), Integer.parseInt(v.strip())));
        return vnis;
    }

    /** {@code errors/<node>/<link id>} → its JSON value ({"link","message"}). */
    public Map<String, String> storeErrors() {
        var errors = new LinkedHashMap<String, String>();
        etcd.get(ERRORS).forEach((k, v) -> errors.put(k.substring(ERRORS.length()), v));
        return errors;
    }

    /** The keys of pod records ({@code pods/<ns>/<name>}). */
    public List<String> podKeys() {
        return etcd.keys(PODS);
    }

    /** Every daemon's log tail without the gRPC/Netty wire chatter, for assertion messages. */
    public String logTails() {
        var text = new StringBuilder();
        for (int i = 1; i <= size; i++) {
            if (daemons != null && daemons[i - 1] != null) {
                String own = daemons[i - 1].log().lines().filter(l -> !LIBRARY_DEBUG.matcher(l).find())
                        .collect(Collectors.joining("\n"));
                text.append("--- nugatord on node ").append(i).append(" (").append(nodeName(i)).append(") ---\n")
                        .append(Nugatord.tail(own)).append('\n');
            }
        }
        return text.toString();
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
        var problems = new ArrayList<String>();
        Throwable failure = null;
        try {
            drain(problems);
        } catch (RuntimeException | AssertionError e) {
            failure = e;
        }
        var pids = new ArrayList<Long>();
        if (daemons != null) {
            for (Nugatord d : daemons) {
                if (d != null && d.isAlive()) {
                    pids.add(d.pid());
                }
            }
        }
        pids.addAll(EtcdCluster.running());
        var sandboxes = pods().stream().flatMap(p -> p.allSandboxes().stream()).toList();
        var dirs = new ArrayList<Path>();
        dirs.addAll(resources.tempDirs());
        if (daemons != null) {
            for (Nugatord d : daemons) {
                if (d != null) {
                    dirs.add(d.socket().getParent());
                }
            }
        }
        if (etcd != null) {
            dirs.add(etcd.dir());
        }
        var nodeNames = nodes.stream().map(NodeNamespace::name).toList();
        try {
            closeEverything();
        } catch (Exception | AssertionError e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        sandboxes.stream().filter(s -> s.netns().exists()).forEach(s -> problems.add("pod namespace " + s.netns() + " left"));
        nodeNames.stream().filter(n -> Files.exists(Path.of("/run/netns", n))).forEach(n -> problems.add("node namespace " + n + " left"));
        for (long pid : pids) {
            ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(p -> {
                problems.add("process " + pid + " " + p.info().command().orElse("?") + " still runs");
                p.destroyForcibly();
            });
        }
        ProcessHandle.current().descendants().filter(ClusterLab::isOurs).forEach(p -> {
            problems.add("process " + p.pid() + " " + p.info().commandLine().orElse("?") + " still runs");
            p.destroyForcibly();
        });
        dirs.stream().filter(Files::exists).forEach(d -> {
            problems.add("temp dir " + d + " left");
            FileTrees.delete(d);
        });
        if (failure == null && problems.isEmpty()) {
            return;
        }
        var error = new AssertionError("after " + context.getDisplayName() + ": "
                + (problems.isEmpty() ? "clean-up failed" : "leaked " + String.join("; ", problems)), failure);
        throw error;
    }

    /** Kubelet draining the nodes: whole cluster back, every attached sandbox DELed, then nothing may be left. */
    private void drain(List<String> problems) {
        if (etcd == null || daemons == null) {
            return;
        }
        if (etcd.runningMembers().size() < etcd.size()) {
            etcd.startAll();
        }
        for (int i = 1; i <= size; i++) {
            if (daemons[i - 1] != null && !daemons[i - 1].isAlive()) {
                daemons[i - 1].restart();
            }
        }
        var calls = new ArrayList<Future<String>>();
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            for (ClusterPod pod : pods()) {
                pod.attachedSandboxes().forEach((sandbox, node) -> calls.add(pool.submit(() -> {
                    var del = pod.delSandbox(sandbox, node, TEARDOWN_CALL_DEADLINE);
                    return del.succeeded() ? null : "DEL of " + pod.ref() + " (" + sandbox + ") on node " + node
                            + " failed: " + del.describe();
                })));
            }
            for (var call : calls) {
                try {
                    String problem = call.get();
                    if (problem != null) {
                        problems.add(problem);
                    }
                } catch (ExecutionException e) {
                    problems.add("DEL threw " + e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    problems.add("interrupted while draining");
                }
            }
        }
        try {
            Await.until("no port or tunnel left in the panels once every pod is DELed", DRAIN_WAIT,
                    this::strayInterfaces, Map::isEmpty);
        } catch (AssertionError e) {
            problems.add("interfaces left in the nodes " + strayInterfaces());
        }
        try {
            Await.until("no pod record left in the store once every pod is DELed", DRAIN_WAIT, this::podKeys, List::isEmpty);
        } catch (AssertionError e) {
            problems.add("pod records left in the store " + podKeys());
        }
    }

    private void closeEverything() throws Exception {
        var all = new ArrayList<AutoCloseable>(resources.drain());
        for (ClusterPod pod : pods()) {
            all.addAll(pod.allSandboxes());
        }
        if (daemons != null) {
            all.addAll(java.util.Arrays.asList(daemons));
        }
        all.add(etcd);
        all.addAll(nodes);
        all.add(fabric);
        synchronized (pods) {
            pods.clear();
        }
        nodes.clear();
        etcd = null;
        fabric = null;
        CloseAll.closeAll(all);
    }

    private static boolean isOurs(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        var info = p.info();
        if (info.command().map(c -> c.equals(EtcdCluster.ETCD.toString())).orElse(false)) {
            return true;
        }
        return info.arguments().map(args -> List.of(args).contains("-Dnugator.process=nugatord")).orElse(false);
    }

    void checkNode(int node) {
        if (node < 1 || node > size) {
            throw new IllegalArgumentException("node " + node + " is not one of 1.." + size);
        }
    }

    /** "1: ntnode-..(198.18.0.1), 2: ..." for messages. */
    @Override
    public String toString() {
        return IntStream.rangeClosed(1, nodes.size()).mapToObj(i -> i + ": " + node(i)).collect(Collectors.joining(", "));
    }
}
