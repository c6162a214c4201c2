package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.testkit.CniCall;
import dev.nugator.testkit.CniResult;
import dev.nugator.testkit.HostLocalLeases;
import dev.nugator.testkit.IpAddr;
import dev.nugator.testkit.Ipv4;
import dev.nugator.testkit.Link;
import dev.nugator.testkit.Names;
import dev.nugator.testkit.NetConf;
import dev.nugator.testkit.NodeNamespace;
import dev.nugator.testkit.NugatorNode;
import dev.nugator.testkit.Nugatord;
import dev.nugator.testkit.Pod;
import dev.nugator.testkit.ScriptPlugin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One nugator network of a conformance test: its config, its host-local data dir, the address range
 * each delegate hands out and the bridges it makes, so that tests can say "attach", "detach" and
 * "nothing is left" in one line each. Every network gets its own /24 per delegate and its own
 * bridge, so that tests sharing a node (and a nugatord) cannot see each other's leases or ports.
 */
final class TestNetwork {
    private static final AtomicInteger SUBNETS = new AtomicInteger();

    /** What one delegate hands out; null subnet for script delegates that hand out nothing. */
    record Range(String subnet, String first, String last) {
        boolean contains(String address) {
            return Ipv4.inSubnet(address, subnet) && (first == null || Ipv4.inRange(address, first, last));
        }
    }

    private final NugatorNode node;
    private final Nugatord daemon;
    private final String name;
    private final String version;
    private final ObjectNode conf;
    private final Path dataDir;
    private final Path scriptDir;
    private final List<String> bridges = new ArrayList<>();
    private final Map<Integer, Range> ranges = new LinkedHashMap<>();
    private final Map<Integer, Boolean> masters = new LinkedHashMap<>();

    private TestNetwork(NugatorNode node, Nugatord daemon, String version, ObjectNode conf) {
        this.node = node;
        this.daemon = daemon;
        this.version = version;
        this.conf = conf;
        this.name = conf.path("name").asText();
        this.dataDir = node.tempDir();
        this.scriptDir = node.tempDir();
    }

    /** A nugator network without delegates yet, in {@code version} (null: no cniVersion key). */
    static TestNetwork create(NugatorNode node, String version) {
        return create(node, node.daemon(), version);
    }

    /** The same, served by another daemon on the node than the shared one. */
    static TestNetwork create(NugatorNode node, Nugatord daemon, String version) {
        return new TestNetwork(node, daemon, version, NetConf.nugator(Names.unique("ntnet"), version, daemon.socket()));
    }

    /** Wraps an existing config (e.g. the seed's) whose delegates' ranges the caller declares. */
    static TestNetwork wrap(NugatorNode node, ObjectNode conf) {
        return new TestNetwork(node, node.daemon(), conf.path("cniVersion").asText(null), conf);
    }

    static String nextSubnet() {
        int n = SUBNETS.getAndIncrement();
        return "10.%d.%d.0/24".formatted(100 + n / 250, n % 250);
    }

    static String host(String subnet, int host) {
        String base = Ipv4.stripPrefix(subnet);
        return base.substring(0, base.lastIndexOf('.') + 1) + host;
    }

    /** Adds a bridge delegate (own bridge, own /24), pinned to a version Debian's plugins accept. */
    TestNetwork bridge() {
        return bridge(false);
    }

    /** A bridge delegate that gets the runtime's CNI_IFNAME ({@code "masterplugin": true}). */
    TestNetwork masterBridge() {
        return bridge(true);
    }

    private TestNetwork bridge(boolean master) {
        String subnet = nextSubnet();
        String bridge = Names.ifname("ntbr");
        ObjectNode delegate = NetConf.bridge(bridge, subnet, dataDir);
        if (master) {
            delegate.put("masterplugin", true);
        }
        bridges.add(bridge);
        return delegate(pinned(delegate), new Range(subnet, null, null));
    }

    /** Adds a macvlan delegate on the node's eth0, addresses .200-.216 of its own /24 (as the seed). */
    TestNetwork macvlan() {
        String subnet = nextSubnet();
        ObjectNode delegate = NetConf.macvlan(NodeNamespace.UPLINK, subnet, host(subnet, 200), host(subnet, 216), dataDir);
        return delegate(pinned(delegate), new Range(subnet, host(subnet, 200), host(subnet, 216)));
    }

    /** Adds a delegate of a script plugin type installed in {@link #scriptDir()} (hands out nothing). */
    TestNetwork script(String type) {
        var delegate = dev.nugator.testkit.Json.object();
        delegate.put("type", type);
        return delegate(delegate, null);
    }

    /** Adds any delegate config; {@code range} may be null when it hands out no address. */
    TestNetwork delegate(ObjectNode delegate, Range range) {
        int index = conf.path("delegates").size();
        NetConf.withDelegates(conf, delegate);
        if (range != null) {
            ranges.put(index, range);
        }
        masters.put(index, delegate.path("masterplugin").asBoolean(false));
        return this;
    }

    private ObjectNode pinned(ObjectNode delegate) {
        if ("1.1.0".equals(version)) {
            delegate.put("cniVersion", "1.0.0");
        }
        return delegate;
    }

    String name() {
        return name;
    }

    String version() {
        return version;
    }

    /** The live config; tests may change it. */
    ObjectNode conf() {
        return conf;
    }

    Path dataDir() {
        return dataDir;
    }

    /** The CNI bin dir for this network's script plugins; it is first on every call's CNI_PATH. */
    Path scriptDir() {
        return scriptDir;
    }

    List<String> bridges() {
        return bridges;
    }

    /** The interface name delegate {@code index} gets in the pod. */
    String ifnameOf(int index, String runtimeIfname) {
        return masters.getOrDefault(index, false) ? runtimeIfname : "net" + index;
    }

    Map<Integer, Range> ranges() {
        return ranges;
    }

    /** Installs a script plugin into this network's CNI bin dir. */
    ScriptPlugin.Recorder recorder(String type) {
        return ScriptPlugin.recording(scriptDir, type, scriptDir.resolve("log"));
    }

    /** A call of this network's config for the pod, with this network's script dir on CNI_PATH. */
    CniCall call(String command, Pod pod, String ifname) {
        return CniCall.of(command).pod(pod).ifname(ifname).config(conf).prependCniPath(scriptDir);
    }

    CniResult add(Pod pod) {
        return add(pod, "eth0");
    }

    CniResult add(Pod pod, String ifname) {
        return call("ADD", pod, ifname).run();
    }

    /** DEL as runtimes before 0.4.0 send it: the plain config. */
    CniResult del(Pod pod) {
        return del(pod, "eth0");
    }

    CniResult del(Pod pod, String ifname) {
        return call("DEL", pod, ifname).run();
    }

    /** DEL or CHECK as runtimes from 0.4.0 send them: the config with the ADD result as prevResult. */
    CniResult withPrevResult(String command, Pod pod, String ifname, JsonNode prevResult) {
        return CniCall.of(command).pod(pod).ifname(ifname).config(confWithPrevResult(prevResult))
                .prependCniPath(scriptDir).run();
    }

    ObjectNode confWithPrevResult(JsonNode prevResult) {
        ObjectNode copy = conf.deepCopy();
        copy.set("prevResult", prevResult);
        return copy;
    }

    List<HostLocalLeases.Lease> leases() {
        return HostLocalLeases.in(dataDir);
    }

    List<HostLocalLeases.Lease> leasesOf(Pod pod) {
        return HostLocalLeases.ownedBy(dataDir, pod.containerId());
    }

    /** Every delegate with a range made its interface in the pod, up, with an address in range. */
    void assertAttached(Pod pod, String runtimeIfname) {
        ranges.forEach((index, range) -> {
            String ifname = ifnameOf(index, runtimeIfname);
            Link link = pod.netns().requireLink(ifname);
            assertThat(link.isUp()).as("%s in %s is up", ifname, pod).isTrue();
            assertThat(link.ipv4()).as("addresses of %s in %s", ifname, pod)
                    .anySatisfy(a -> assertThat(range.contains(a.local())).as("%s in %s", a, range).isTrue());
        });
        assertThat(leasesOf(pod)).as("host-local leases of %s", pod).hasSize(ranges.size());
    }

    /** The address delegate {@code index} gave the pod. */
    IpAddr addressOf(Pod pod, int index, String runtimeIfname) {
        return pod.netns().requireLink(ifnameOf(index, runtimeIfname)).firstIpv4()
                .orElseThrow(() -> new AssertionError("no IPv4 on " + ifnameOf(index, runtimeIfname)));
    }

    /**
     * Nothing of the attachment is left: no leases, no state, no interface but lo in the pod (when
     * it still exists), no port left on this network's bridges in the node.
     */
    void assertNothingLeft(Pod pod) {
        assertThat(leasesOf(pod)).as("host-local leases of %s after DEL", pod).isEmpty();
        assertNoState(pod);
        if (pod.netns().exists()) {
            assertThat(pod.netns().linkNames()).as("interfaces left in %s", pod).containsOnly("lo");
        }
        assertNoBridgePorts();
    }

    void assertNoState(Pod pod) {
        Path dir = daemon.stateDir().resolve("attachments").resolve(name).resolve(pod.containerId());
        assertThat(jsonFilesUnder(dir)).as("nugatord state of %s left in %s", pod, dir).isEmpty();
    }

    void assertNoBridgePorts() {
        List<Link> links = node.node().netns().links();
        assertThat(links.stream().filter(l -> bridges.contains(l.master())).map(Link::name).toList())
                .as("ports left on bridges %s in the node", bridges).isEmpty();
    }

    static List<Path> jsonFilesUnder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
