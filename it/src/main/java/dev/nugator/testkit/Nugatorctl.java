package dev.nugator.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real {@code dist/bin/nugatorctl}, run as a user runs it: a separate process talking to one
 * nugatord through {@code NUGATOR_SOCKET}, or (many nodes) to etcd directly with {@code --etcd
 * ENDPOINTS} from inside a node's namespace. None of the announcer's variables (POD_NAME, LOCAL_IP,
 * ...) leak in from the test JVM's environment: a test that leaves one out really sends none.
 */
public final class Nugatorctl {
    /** What {@code nugatorctl announce} reads from its environment, plus the socket and namespace. */
    public static final List<String> ENVIRONMENT = List.of("POD_NAME", "TARGET_CONTAINER", "PUBLIC_IP", "LOCAL_IP",
            "LOCAL_IFNAME", "PAIR_NAME", "PAIR_IP", "PAIR_IFNAME", "PRIMARY", "POD_NAMESPACE", "NUGATOR_SOCKET");
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private final Path socket;
    private final Netns netns;
    private final List<String> connection;

    private Nugatorctl(Path socket) {
        this(socket, null, List.of());
    }

    private Nugatorctl(Path socket, Netns netns, List<String> connection) {
        this.socket = socket;
        this.netns = netns;
        this.connection = List.copyOf(connection);
    }

    /**
     * nugatorctl run inside {@code netns} (where the etcd endpoints are reachable) that talks to
     * etcd directly: {@code connectionArgs} ({@code --etcd ENDPOINTS} and any TLS flags, see
     * {@link EtcdCluster#ctlArgs()}) are appended to every command line, after the subcommand's own
     * arguments. NUGATOR_SOCKET and NUGATOR_ETCD are not set.
     */
    public static Nugatorctl viaEtcd(Netns netns, List<String> connectionArgs) {
        return new Nugatorctl(null, netns, connectionArgs);
    }

    /** nugatorctl pointed at this socket through NUGATOR_SOCKET. */
    public static Nugatorctl at(Path socket) {
        return new Nugatorctl(socket);
    }

    /** nugatorctl pointed at this daemon. */
    public static Nugatorctl of(Nugatord daemon) {
        return new Nugatorctl(daemon.socket());
    }

    public static Path executable() {
        Path file = Dist.bin().resolve("nugatorctl");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " does not exist: run `make build` first");
        }
        return file;
    }

    /** The socket this nugatorctl talks to, or null when it talks to etcd ({@link #viaEtcd}). */
    public Path socket() {
        return socket;
    }

    /** The flags appended to every command line ({@code --etcd ...}), empty for a socket. */
    public List<String> connectionArgs() {
        return connection;
    }

    /** {@code nugatorctl args...} with NUGATOR_SOCKET set (or the etcd flags); the caller inspects the result. */
    public ProcResult run(String... args) {
        return run(Map.of(), args);
    }

    /** The same with further environment variables (the announcer's, for instance). */
    public ProcResult run(Map<String, String> env, String... args) {
        var all = new LinkedHashMap<String, String>();
        if (socket != null) {
            all.put("NUGATOR_SOCKET", socket.toString());
        }
        all.putAll(env);
        if (netns == null && connection.isEmpty()) {
            return bare(all, args);
        }
        var command = new ArrayList<String>();
        command.add(executable().toString());
        command.addAll(List.of(args));
        command.addAll(connection);
        var proc = Proc.of(netns != null ? netns.execArgs(command) : command).deadline(DEADLINE);
        ENVIRONMENT.forEach(proc::unsetEnv);
        proc.unsetEnv("NUGATOR_ETCD");
        all.forEach(proc::env);
        return proc.run();
    }

    /** nugatorctl with exactly this environment (of the announcer's variables) and no socket set. */
    public static ProcResult bare(Map<String, String> env, String... args) {
        var command = new ArrayList<String>();
        command.add(executable().toString());
        command.addAll(List.of(args));
        var proc = Proc.of(command).deadline(DEADLINE);
        ENVIRONMENT.forEach(proc::unsetEnv);
        proc.unsetEnv("NUGATOR_ETCD");
        env.forEach(proc::env);
        return proc.run();
    }

    /** {@code nugatorctl status -o json}, required to succeed. */
    public LinkStatusReport status() {
        return LinkStatusReport.parse(run("status", "-o", "json").requireSuccess().stdout());
    }

    /** {@code nugatorctl topology apply -f FILE} with {@code yaml} written to a temp file (removed after). */
    public ProcResult applyTopology(String yaml) {
        try {
            Path file = Files.createTempFile("nttopology-", ".yaml");
            try {
                Files.writeString(file, yaml);
                return run("topology", "apply", "-f", file.toString());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code nugatorctl topology get NAME -o json}, required to succeed. */
    public JsonNode topology(String name) {
        return Json.parse(run("topology", "get", name, "-o", "json").requireSuccess().stdout());
    }

    /** Reads a KEY=VALUE file such as the seed's announcer.env (blank lines and # comments skipped). */
    public static Map<String, String> readEnvFile(Path file) {
        var env = new LinkedHashMap<String, String>();
        try {
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#") || !trimmed.contains("=")) {
                    continue;
                }
                int eq = trimmed.indexOf('=');
                env.put(trimmed.substring(0, eq).strip(), unquote(trimmed.substring(eq + 1).strip()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return env;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
