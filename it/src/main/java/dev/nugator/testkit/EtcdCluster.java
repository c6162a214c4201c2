package dev.nugator.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A real etcd cluster (Debian's {@code /usr/bin/etcd} 3.4, v3 API) the way the multi-node tests
 * need it: member {@code i} (1-based) runs inside node namespace {@code i} on that node's address,
 * client port 2379 and peer port 2380, so every nugatord on the fabric reaches every member while
 * nothing listens in the machine's own namespace. Data dirs and logs live in one private temp dir
 * (on /dev/shm when there is one: etcd fsyncs a lot, and a busy disk must not look like a fault).
 *
 * <p>{@link #start} returns once the whole cluster answers {@code etcdctl endpoint health}. Members
 * can be stopped (SIGTERM) or killed and started again with their data dir: they rejoin.
 * {@link #close()} kills every member, keeps a copy of each log under {@code target/etcd-logs/} and
 * removes every file, also when the cluster never came up.
 *
 * <pre>{@code
 * try (var etcd = EtcdCluster.start(List.of(node1, node2, node3))) {
 *     etcd.put("/k", "v");
 *     etcd.stop(2);
 *     assertThat(etcd.get("/k")).containsEntry("/k", "v");
 * }
 * }</pre>
 */
public final class EtcdCluster implements AutoCloseable {
    public static final Path ETCD = Path.of("/usr/bin/etcd");
    public static final Path ETCDCTL = Path.of("/usr/bin/etcdctl");
    public static final int CLIENT_PORT = 2379;
    public static final int PEER_PORT = 2380;
    private static final Duration START_DEADLINE = Duration.ofSeconds(40);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration STOP_ALL_GRACE = Duration.ofSeconds(2);
    private static final Duration ETCDCTL_DEADLINE = Duration.ofSeconds(20);
    private static final Set<Process> RUNNING = Collections.synchronizedSet(new LinkedHashSet<>());

    static {
        // a JVM that exits without closing (a killed test run) must not leave etcd members behind
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (RUNNING) {
                RUNNING.forEach(Process::destroyForcibly);
            }
        }, "etcd-cluster-reaper"));
    }

    private final List<NodeNamespace> nodes;
    private final Path dir;
    private final String token;
    private final EtcdCertificates certificates;
    private final Process[] members;
    private boolean closed;

    private EtcdCluster(List<NodeNamespace> nodes, Path dir, EtcdCertificates certificates) {
        this.nodes = List.copyOf(nodes);
        this.dir = dir;
        this.token = Names.unique("ntetcd");
        this.certificates = certificates;
        this.members = new Process[nodes.size()];
    }

    /** A plain-http cluster with one member in each node; returns once it is healthy. */
    public static EtcdCluster start(List<NodeNamespace> nodes) {
        return launch(nodes, false);
    }

    /**
     * A cluster that serves clients over TLS and requires a client certificate signed by its CA
     * ({@code --client-cert-auth}); peers talk plain http. See {@link #certificates()}.
     */
    public static EtcdCluster startTls(List<NodeNamespace> nodes) {
        return launch(nodes, true);
    }

    private static EtcdCluster launch(List<NodeNamespace> nodes, boolean tls) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("an etcd cluster needs at least one node");
        }
        if (!Files.isExecutable(ETCD) || !Files.isExecutable(ETCDCTL)) {
            throw new IllegalStateException(ETCD + " or " + ETCDCTL + " is missing: install etcd-server and etcd-client (make deps)");
        }
        Path dir = tempDir();
        EtcdCluster cluster = null;
        try {
            EtcdCertificates certs = tls ? EtcdCertificates.generate(dir.resolve("tls"), nodes.stream().map(NodeNamespace::ip).toList()) : null;
            cluster = new EtcdCluster(nodes, dir, certs);
            for (int i = 1; i <= nodes.size(); i++) {
                cluster.launchMember(i);
            }
            cluster.awaitHealthy(cluster.all());
            return cluster;
        } catch (RuntimeException | AssertionError e) {
            if (cluster != null) {
                cluster.close();
            } else {
                FileTrees.delete(dir);
            }
            throw e;
        }
    }

    /** Number of members. */
    public int size() {
        return nodes.size();
    }

    /** The node member {@code i} (1-based) runs in. */
    public NodeNamespace node(int i) {
        return nodes.get(i - 1);
    }

    /** Whether clients must use TLS with a client certificate. */
    public boolean tls() {
        return certificates != null;
    }

    /** The TLS files, when this is a TLS cluster. */
    public Optional<EtcdCertificates> certificates() {
        return Optional.ofNullable(certificates);
    }

    /** The certificates of a TLS cluster; an IllegalStateException for a plain one. */
    public EtcdCertificates requireCertificates() {
        return certificates().orElseThrow(() -> new IllegalStateException("this etcd cluster is plain http"));
    }

    /** "198.18.0.1:2379", one per member. */
    public List<String> endpointList() {
        return nodes.stream().map(n -> n.ip() + ":" + CLIENT_PORT).toList();
    }

    /** "198.18.0.1:2379,198.18.0.2:2379,198.18.0.3:2379": what {@code --etcd} and {@code etcd://} take. */
    public String endpoints() {
        return String.join(",", endpointList());
    }

    /** {@code etcd://ENDPOINTS}, nugatord's {@code --store}. */
    public String storeUrl() {
        return "etcd://" + endpoints();
    }

    /** nugatord's flags for this store: {@code --store etcd://...} plus the right client certificate when TLS. */
    public List<String> daemonArgs() {
        var args = new ArrayList<>(List.of("--store", storeUrl()));
        certificates().ifPresent(c -> args.addAll(c.clientFlags()));
        return List.copyOf(args);
    }

    /** nugatorctl's flags for this store: {@code --etcd ENDPOINTS} plus the right client certificate when TLS. */
    public List<String> ctlArgs() {
        var args = new ArrayList<>(List.of("--etcd", endpoints()));
        certificates().ifPresent(c -> args.addAll(c.clientFlags()));
        return List.copyOf(args);
    }

    /** The temp dir holding data dirs, logs and certificates. */
    public Path dir() {
        return dir;
    }

    public Path dataDir(int i) {
        return dir.resolve("m" + i + ".data");
    }

    public Path logFile(int i) {
        return dir.resolve("m" + i + ".log");
    }

    /** What member {@code i} logged so far (every run of it). */
    public String log(int i) {
        try {
            return Files.exists(logFile(i)) ? Files.readString(logFile(i), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "<cannot read " + logFile(i) + ": " + e + ">";
        }
    }

    public synchronized boolean isRunning(int i) {
        Process p = members[i - 1];
        return p != null && p.isAlive();
    }

    /** Member indexes whose process runs. */
    public List<Integer> runningMembers() {
        return all().stream().filter(this::isRunning).toList();
    }

    /** Stops member {@code i} with SIGTERM and waits until it is gone (SIGKILL after a grace period). */
    public void stop(int i) {
        Process p;
        synchronized (this) {
            p = members[i - 1];
        }
        terminate(p, false);
    }

    /** Kills member {@code i} with SIGKILL, as a crash or a power cut would, and waits until it is gone. */
    public void kill(int i) {
        Process p;
        synchronized (this) {
            p = members[i - 1];
        }
        terminate(p, true);
    }

    /**
     * Starts member {@code i} again with its data dir (it rejoins the cluster). When a quorum then
     * runs, returns once the member answers {@code endpoint health}; without a quorum a member
     * cannot be healthy, so it returns once the process runs.
     */
    public void start(int i) {
        if (isRunning(i)) {
            throw new IllegalStateException("etcd member " + i + " is still running");
        }
        launchMember(i);
        if (runningMembers().size() > size() / 2) {
            awaitHealthy(List.of(i));
        }
    }

    /**
     * Stops every member: SIGTERM to all at once, SIGKILL to any still there after a short grace (a
     * leader that has lost its followers otherwise spends seconds trying to hand its leadership
     * over), and waits until all are gone.
     */
    public void stopAll() {
        List<Process> processes;
        synchronized (this) {
            processes = new ArrayList<>(List.of(members));
        }
        processes.removeIf(p -> p == null || !p.isAlive());
        processes.forEach(Process::destroy);
        long deadline = System.nanoTime() + STOP_ALL_GRACE.toNanos();
        while (processes.stream().anyMatch(Process::isAlive) && System.nanoTime() < deadline) {
            FileTrees.pause(50);
        }
        processes.forEach(p -> terminate(p, true));
    }

    /** Starts every stopped member and returns once the whole cluster is healthy. */
    public void startAll() {
        for (int i : all()) {
            if (!isRunning(i)) {
                launchMember(i);
            }
        }
        awaitHealthy(all());
    }

    /**
     * The member that leads right now (1-based), from {@code etcdctl endpoint status} over the
     * running members.
     */
    public int leader() {
        var running = runningMembers();
        var endpoints = running.stream().map(this::clientUrl).collect(Collectors.joining(","));
        JsonNode status = Json.parse(etcdctlAt(endpoints, "endpoint", "status", "-w", "json").requireSuccess().stdout());
        for (int k = 0; k < status.size(); k++) {
            JsonNode s = status.get(k).path("Status");
            if (s.path("header").path("member_id").asText().equals(s.path("leader").asText())) {
                return memberOf(status.get(k).path("Endpoint").asText());
            }
        }
        throw new AssertionError("no etcd member claims to lead: " + status);
    }

    /**
     * {@code etcdctl [--endpoints ...] [TLS flags] args...} with ETCDCTL_API=3, run inside the first
     * node's namespace against every member; the caller inspects the result.
     */
    public ProcResult etcdctl(String... args) {
        return etcdctlAt(all().stream().map(this::clientUrl).collect(Collectors.joining(",")), args);
    }

    /**
     * {@code etcdctl} against every member with this client certificate instead of the right one
     * (the servers are still verified with the cluster's CA), e.g. {@link EtcdCertificates#wrongClientCert()}.
     */
    public ProcResult etcdctlAs(Path clientCert, Path clientKey, String... args) {
        var command = new ArrayList<>(List.of(ETCDCTL.toString(),
                "--endpoints=" + all().stream().map(this::clientUrl).collect(Collectors.joining(",")),
                "--dial-timeout=2s", "--command-timeout=5s", "--cacert=" + requireCertificates().caCert(),
                "--cert=" + clientCert, "--key=" + clientKey));
        command.addAll(List.of(args));
        return Proc.of(node(1).netns().execArgs(command)).env("ETCDCTL_API", "3").deadline(ETCDCTL_DEADLINE).run();
    }

    /** Every key under {@code prefix} with its value, in key order ({@code etcdctl get --prefix}). */
    public Map<String, String> get(String prefix) {
        JsonNode json = Json.parse(etcdctl("get", "--prefix", prefix, "-w", "json").requireSuccess().stdout());
        var entries = new LinkedHashMap<String, String>();
        json.path("kvs").forEach(kv -> entries.put(base64(kv.path("key").asText()), base64(kv.path("value").asText())));
        return entries;
    }

    /** The keys under {@code prefix}. */
    public List<String> keys(String prefix) {
        return List.copyOf(get(prefix).keySet());
    }

    /** How many keys there are under {@code prefix}. */
    public int count(String prefix) {
        return get(prefix).size();
    }

    /** The value of one key, if present. */
    public Optional<String> value(String key) {
        return Optional.ofNullable(get(key).get(key));
    }

    public void put(String key, String value) {
        etcdctl("put", key, value).requireSuccess();
    }

    /** Deletes every key under {@code prefix}; the number deleted. */
    public int deletePrefix(String prefix) {
        return Integer.parseInt(etcdctl("del", "--prefix", prefix).requireSuccess().stdout().strip());
    }

    /** Processes of members started through the kit in this JVM that still run (for leak checks). */
    public static Set<Long> running() {
        synchronized (RUNNING) {
            RUNNING.removeIf(p -> !p.isAlive());
            return RUNNING.stream().map(Process::pid).collect(Collectors.toUnmodifiableSet());
        }
    }

    /** Kills every member, keeps a copy of the logs, removes the temp dir; safe twice. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            for (Process p : members) {
                terminate(p, true);
            }
            keepLogCopies();
        } finally {
            FileTrees.delete(dir);
        }
    }

    @Override
    public String toString() {
        return "etcd(" + endpoints() + (tls() ? ", tls" : "") + ")";
    }

    private List<Integer> all() {
        return IntStream.rangeClosed(1, size()).boxed().toList();
    }

    private String scheme() {
        return tls() ? "https" : "http";
    }

    private String clientUrl(int i) {
        return scheme() + "://" + node(i).ip() + ":" + CLIENT_PORT;
    }

    private String peerUrl(int i) {
        return "http://" + node(i).ip() + ":" + PEER_PORT;
    }

    private String memberName(int i) {
        return "m" + i;
    }

    private int memberOf(String endpoint) {
        for (int i : all()) {
            if (endpoint.equals(clientUrl(i)) || endpoint.endsWith("//" + node(i).ip() + ":" + CLIENT_PORT)
                    || endpoint.equals(node(i).ip() + ":" + CLIENT_PORT)) {
                return i;
            }
        }
        throw new AssertionError("endpoint " + endpoint + " is no member of " + this);
    }

    private List<String> tlsClientFlags() {
        if (certificates == null) {
            return List.of();
        }
        return List.of("--cacert=" + certificates.caCert(), "--cert=" + certificates.clientCert(),
                "--key=" + certificates.clientKey());
    }

    private ProcResult etcdctlAt(String endpoints, String... args) {
        var command = new ArrayList<>(List.of(ETCDCTL.toString(), "--endpoints=" + endpoints,
                "--dial-timeout=2s", "--command-timeout=5s"));
        command.addAll(tlsClientFlags());
        command.addAll(List.of(args));
        return Proc.of(node(1).netns().execArgs(command)).env("ETCDCTL_API", "3").deadline(ETCDCTL_DEADLINE).run();
    }

    private void launchMember(int i) {
        String cluster = all().stream().map(k -> memberName(k) + "=" + peerUrl(k)).collect(Collectors.joining(","));
        var command = new ArrayList<>(List.of(ETCD.toString(),
                "--name", memberName(i),
                "--data-dir", dataDir(i).toString(),
                "--listen-client-urls", clientUrl(i), "--advertise-client-urls", clientUrl(i),
                "--listen-peer-urls", peerUrl(i), "--initial-advertise-peer-urls", peerUrl(i),
                "--initial-cluster", cluster, "--initial-cluster-token", token, "--initial-cluster-state", "new",
                "--logger", "zap", "--log-outputs", "stderr"));
        if (certificates != null) {
            command.addAll(List.of("--cert-file", certificates.serverCert().toString(),
                    "--key-file", certificates.serverKey().toString(),
                    "--client-cert-auth", "--trusted-ca-file", certificates.caCert().toString()));
        }
        var builder = new ProcessBuilder(node(i).netns().execArgs(command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(i).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException(this + " is closed");
            }
            try {
                members[i - 1] = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + command, e);
            }
            RUNNING.add(members[i - 1]);
        }
    }

    private void awaitHealthy(List<Integer> which) {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        String endpoints = which.stream().map(this::clientUrl).collect(Collectors.joining(","));
        ProcResult last = null;
        while (true) {
            for (int i : which) {
                if (!isRunning(i)) {
                    throw new AssertionError("etcd member " + i + " in " + node(i) + " exited before it was healthy; log tail:\n"
                            + Nugatord.tail(log(i)));
                }
            }
            last = etcdctlAt(endpoints, "endpoint", "health");
            if (last.succeeded()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                var logs = which.stream().map(i -> "--- member " + i + " ---\n" + Nugatord.tail(log(i)))
                        .collect(Collectors.joining("\n"));
                throw new AssertionError("etcd members " + which + " not healthy within " + START_DEADLINE.toSeconds()
                        + " s\n" + last.describe() + "\n" + logs);
            }
            FileTrees.pause(200);
        }
    }

    private static void terminate(Process p, boolean forcibly) {
        if (p == null) {
            return;
        }
        try {
            if (p.isAlive()) {
                if (forcibly) {
                    p.destroyForcibly();
                } else {
                    p.destroy();
                }
                if (!p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            if (!p.isAlive()) {
                RUNNING.remove(p);
            }
        }
    }

    private void keepLogCopies() {
        try {
            Path target = Path.of("target");
            if (Files.isDirectory(target)) {
                Path logs = Files.createDirectories(target.resolve("etcd-logs"));
                for (int i : all()) {
                    if (Files.exists(logFile(i))) {
                        Files.copy(logFile(i), logs.resolve(token + "-" + memberName(i) + ".log"),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException ignored) {
            // a missing post-mortem copy must not fail the test that is cleaning up
        }
    }

    private static String base64(String text) {
        return new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
    }

    private static Path tempDir() {
        try {
            Path shm = Path.of("/dev/shm");
            if (Files.isDirectory(shm) && Files.isWritable(shm)) {
                return Files.createTempDirectory(shm, "ntetcd-");
            }
            return Files.createTempDirectory("ntetcd-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
