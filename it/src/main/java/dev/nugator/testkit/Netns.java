package dev.nugator.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A named network namespace made with {@code ip netns add}, so that it shows up as
 * {@code /run/netns/NAME} exactly as the ones runtimes hand to CNI plugins.
 *
 * <p>All inspection goes through {@code ip -n NAME ...} in a child process: switching namespaces
 * inside the test JVM would move only one thread and could leak into unrelated work. Closing
 * deletes the namespace (and with it every interface inside); closing twice is harmless, and a
 * namespace someone else already deleted is not an error.
 */
public final class Netns implements AutoCloseable {
    private static final Set<String> LIVE = Collections.synchronizedSet(new LinkedHashSet<>());
    private static final Duration IP_DEADLINE = Duration.ofSeconds(20);

    private final String name;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Netns(String name) {
        this.name = name;
    }

    /** Creates {@code prefix-xxxxxx} (prefix must start with "nt") with its loopback up. */
    public static Netns create(String prefix) {
        return createNamed(Names.unique(prefix));
    }

    /** Creates a namespace with exactly this name, loopback up. */
    public static Netns createNamed(String name) {
        Proc.of("ip", "netns", "add", name).deadline(IP_DEADLINE).check();
        var netns = new Netns(name);
        LIVE.add(name);
        try {
            netns.ip("link", "set", "lo", "up");
        } catch (RuntimeException | AssertionError e) {
            netns.close();
            throw e;
        }
        return netns;
    }

    /**
     * A namespace someone else makes at {@code /run/netns/NAME} (nugatord's panel), tracked like the
     * kit's own: closing deletes it, and the leak check reports it when a test leaves it behind.
     */
    public static Netns adopt(String name) {
        LIVE.add(name);
        return new Netns(name);
    }

    public String name() {
        return name;
    }

    /** {@code /run/netns/NAME}: what goes into CNI_NETNS. */
    public Path path() {
        return Path.of("/run/netns", name);
    }

    public boolean exists() {
        return Files.exists(path());
    }

    /** Runs {@code ip -n NAME args...}, requiring success. */
    public ProcResult ip(String... args) {
        return Proc.of(Proc.args("ip", prefixed(args))).deadline(IP_DEADLINE).check();
    }

    /** Runs a command inside the namespace ({@code ip netns exec}); the caller inspects the result. */
    public ProcResult run(String... command) {
        return exec(Proc.DEFAULT_DEADLINE, command);
    }

    /** Like {@link #run} with an explicit deadline. */
    public ProcResult exec(Duration deadline, String... command) {
        var args = new ArrayList<>(List.of("ip", "netns", "exec", name));
        args.addAll(List.of(command));
        return Proc.of(args).deadline(deadline).run();
    }

    /**
     * The argument list that runs {@code command} in this network namespace but the machine's own
     * mount namespace ({@code nsenter --net}): a namespace it binds under /run/netns (nugatord's
     * panel) is then everyone's, and outlives the process, as on a real node.
     */
    public List<String> enterArgs(List<String> command) {
        var args = new ArrayList<>(List.of("nsenter", "--net=" + path(), "--"));
        args.addAll(command);
        return args;
    }

    /** The argument list that runs {@code command} inside this namespace, for long-lived processes. */
    public List<String> execArgs(List<String> command) {
        var args = new ArrayList<>(List.of("ip", "netns", "exec", name));
        args.addAll(command);
        return args;
    }

    /** Every link with its addresses, as the kernel reports them now. */
    public List<Link> links() {
        JsonNode json = Json.parse(ip("-j", "-d", "addr", "show").stdout());
        var links = new ArrayList<Link>();
        json.forEach(node -> links.add(Link.fromJson(node)));
        return links;
    }

    public Optional<Link> link(String ifname) {
        return links().stream().filter(l -> l.name().equals(ifname)).findFirst();
    }

    /** The link, or an AssertionError listing what the namespace does hold. */
    public Link requireLink(String ifname) {
        var links = links();
        return links.stream().filter(l -> l.name().equals(ifname)).findFirst()
                .orElseThrow(() -> new AssertionError("no link " + ifname + " in netns " + name + "; it has "
                        + links.stream().map(Link::name).toList()));
    }

    public List<String> linkNames() {
        return links().stream().map(Link::name).toList();
    }

    public List<IpAddr> addresses(String ifname) {
        return requireLink(ifname).addresses();
    }

    /** Deletes the namespace; safe to call twice and when it is already gone. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            delete(name);
            LIVE.remove(name);
        }
    }

    /** Names of the namespaces this JVM created through the kit and has not deleted yet. */
    public static Set<String> live() {
        synchronized (LIVE) {
            return Set.copyOf(LIVE);
        }
    }

    /** Names of all named namespaces on the machine ({@code ip netns list}). */
    public static Set<String> list() {
        var names = new LinkedHashSet<String>();
        Json.parse(Proc.of("ip", "-j", "netns", "list").deadline(IP_DEADLINE).check().stdout())
                .forEach(n -> names.add(n.path("name").asText()));
        return names;
    }

    /** Deletes a namespace by name when it exists (for leak clean-up). */
    public static void delete(String name) {
        if (Files.exists(Path.of("/run/netns", name))) {
            var result = Proc.of("ip", "netns", "del", name).deadline(IP_DEADLINE).run();
            if (!result.succeeded() && Files.exists(Path.of("/run/netns", name))) {
                throw new AssertionError(result.describe());
            }
        }
    }

    private List<String> prefixed(String... args) {
        var all = new ArrayList<>(List.of("-n", name));
        all.addAll(List.of(args));
        return all;
    }

    @Override
    public String toString() {
        return name;
    }
}
