package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.testkit.Await;
import dev.nugator.testkit.Dist;
import dev.nugator.testkit.FileTrees;
import dev.nugator.testkit.HostLocalLeases;
import dev.nugator.testkit.Ipv4;
import dev.nugator.testkit.Json;
import dev.nugator.testkit.Link;
import dev.nugator.testkit.LinkStatusReport;
import dev.nugator.testkit.Names;
import dev.nugator.testkit.NetConf;
import dev.nugator.testkit.NodeNamespace;
import dev.nugator.testkit.Nugatorctl;
import dev.nugator.testkit.Nugatord;
import dev.nugator.testkit.Podman;
import dev.nugator.testkit.Proc;
import dev.nugator.testkit.ProcResult;
import dev.nugator.testkit.RootIntegrationTest;
import dev.nugator.testkit.StoreKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed's linked pair with a real runtime: the pair announced with {@code nugatorctl announce}
 * from the seed's announcer.env, two podman containers named as the seed's pods
 * ({@code sample-announce} gets {@code in1} 192.168.2.100/24, {@code pair-pod} gets {@code in2}
 * 192.168.2.101/24) on a conflist {loopback, nugator}. Each container sees its link from its first
 * command on; the ping crosses once both run and again after {@code podman restart} of one; after
 * {@code podman rm} of both nothing is left.
 */
@RootIntegrationTest
class LinksPodmanTest {
    private static final String BRIDGE_SUBNET = "10.88.77.0/24";
    private static final String PRIMARY = "sample-announce";
    private static final String PAIR = "pair-pod";
    private static final String PRIMARY_IP = "192.168.2.100";
    private static final String PAIR_IP = "192.168.2.101";
    /** The container's first command: what it sees at start, between markers, then it sleeps. */
    private static final String[] SHOW_AND_SLEEP = {"/bin/sh", "-c",
        "echo ==start; ip -o link; ip -o addr; echo ==end; exec sleep 600"};

    @ParameterizedTest(name = "delegates: {0}")
    @ValueSource(strings = {"none", "bridge"})
    void theSeedsPairWithPodmanLinkedFromTheStartAcrossARestartAndNothingLeftAfterRemoval(String delegates) throws IOException {
        assumeTrue(Podman.available(), "needs podman, runc and busybox (make deps installs them)");
        Set<String> rootLinksBefore = rootNetnsLinkNames();
        Path ipam = Files.createTempDirectory("ntipam-");
        String subnet = delegates.equals("bridge") ? BRIDGE_SUBNET : null;
        try (var node = NodeNamespace.create(); var daemon = Nugatord.in(node).logLevel("debug").start();
             var podman = Podman.create(conflist(Names.unique("ntnet"), daemon.socket(), subnet, ipam))) {
            var ctl = Nugatorctl.of(daemon);

            ProcResult announce = ctl.run(Nugatorctl.readEnvFile(Dist.seedFixture("announcer.env")), "announce");
            assertThat(announce.exitCode()).as(announce.describe()).isZero();
            var pending = ctl.status().link(end(PRIMARY, "in1"));
            assertThat(pending.hasEnd(end(PAIR, "in2"))).as("%s", pending).isTrue();

            // sample-announce alone: in1 with its address from its first command on, no carrier; its port waits down
            require(podman.runDetached(PRIMARY, SHOW_AND_SLEEP), "podman run " + PRIMARY, daemon);
            var primaryAtStart = startView(podman, PRIMARY, 1);
            assertThat(primaryAtStart.ipv4("in1")).as(primaryAtStart.describe()).contains(PRIMARY_IP + "/24");
            assertThat(primaryAtStart.flags("in1")).as(primaryAtStart.describe()).contains("UP").doesNotContain("LOWER_UP");
            assertThat(ports(daemon)).as("sample-announce's port in the panel, down").singleElement()
                    .satisfies(port -> assertThat(port.isUp()).isFalse());
            if (subnet != null) {
                assertThat(primaryAtStart.ipv4("eth0")).as(primaryAtStart.describe())
                        .anySatisfy(a -> assertThat(Ipv4.inSubnet(a, subnet)).as("%s in %s", a, subnet).isTrue());
            }

            // pair-pod: in2 from its start, the veth complete, the ping crosses both ways
            require(podman.runDetached(PAIR, SHOW_AND_SLEEP), "podman run " + PAIR, daemon);
            var pairAtStart = startView(podman, PAIR, 1);
            assertThat(pairAtStart.ipv4("in2")).as(pairAtStart.describe()).contains(PAIR_IP + "/24");
            assertThat(pairAtStart.flags("in2")).as(pairAtStart.describe()).contains("UP", "LOWER_UP");
            assertPings(podman, PRIMARY, PAIR_IP, daemon);
            assertPings(podman, PAIR, PRIMARY_IP, daemon);
            assertThat(ports(daemon)).as("both ports up while both run").hasSize(2).allMatch(Link::isUp);
            assertThat(ctl.status().link(end(PRIMARY, "in1")).state()).isEqualTo("up");

            // podman restart of pair-pod: DEL then ADD; its new start sees in2 again and the ping crosses again
            require(podman.restart(PAIR), "podman restart " + PAIR, daemon);
            var pairRestarted = startView(podman, PAIR, 2);
            assertThat(pairRestarted.ipv4("in2")).as(pairRestarted.describe()).contains(PAIR_IP + "/24");
            assertPings(podman, PRIMARY, PAIR_IP, daemon);
            assertPings(podman, PAIR, PRIMARY_IP, daemon);

            // podman rm of both: nothing is left
            require(podman.remove(PRIMARY, PAIR), "podman rm", daemon);
            assertThat(podman.containerNames()).as("containers podman still knows").isEmpty();
            assertThat(podman.sandboxesSeen()).as("container namespaces left").noneMatch(n -> Files.exists(Path.of("/run/netns", n)));
            assertThat(ports(daemon)).as("ports left in the panel").isEmpty();
            assertThat(node.netns().linkNames()).as("links in the node").doesNotContain("in1", "in2");
            var newInRoot = new TreeSet<>(rootNetnsLinkNames());
            newInRoot.removeAll(rootLinksBefore);
            assertThat(newInRoot).as("links that appeared in the machine's own namespace")
                    .noneMatch(n -> n.equals("in1") || n.equals("in2") || n.startsWith("nug"));
            LinkStatusReport status = ctl.status();
            var link = status.link(end(PRIMARY, "in1"));
            assertThat(List.of(link.a().state(), link.b().state())).as("%s", link).containsOnly("pending");
            StoreKeys.under(daemon, "/nugator/v1/pods/").ifPresent(keys ->
                    assertThat(keys).as("pod entries left in the store").isEmpty());
            assertThat(TestNetwork.jsonFilesUnder(daemon.stateDir().resolve("attachments"))).as("attachment records").isEmpty();
            if (subnet != null) {
                assertThat(HostLocalLeases.in(ipam)).as("host-local leases").isEmpty();
                assertThat(node.netns().links().stream().filter(l -> !l.master().isEmpty()).map(Link::name).toList())
                        .as("bridge ports left in the node").isEmpty();
            }
        } finally {
            FileTrees.delete(ipam);
        }
    }

    /**
     * {loopback, nugator (links on)}: nugator with no delegate (subnet null), or with a bridge
     * delegate that makes the container's eth0 ({@code masterplugin}) in {@code subnet}.
     */
    private static ObjectNode conflist(String name, Path socket, String subnet, Path ipam) {
        ObjectNode nugator = Json.object().put("type", "nugator").put("socket", socket.toString());
        if (subnet != null) {
            nugator.putArray("delegates").add(NetConf.bridge(Names.ifname("ntbr"), subnet, ipam).put("masterplugin", true));
        }
        var plugins = Json.array().add(Json.object().put("type", "loopback")).add(nugator);
        ObjectNode conflist = Json.object().put("cniVersion", "1.0.0").put("name", name);
        conflist.set("plugins", plugins);
        return conflist;
    }

    private static String end(String pod, String ifname) {
        return "default/" + pod + ":" + ifname;
    }

    private static List<Link> ports(Nugatord daemon) {
        return daemon.panel().links().stream().filter(l -> !l.name().equals("lo")).toList();
    }

    private static Set<String> rootNetnsLinkNames() {
        var names = new TreeSet<String>();
        Json.parse(Proc.of("ip", "-j", "link", "show").check().stdout()).forEach(l -> names.add(l.path("ifname").asText()));
        return names;
    }

    private static void require(ProcResult result, String what, Nugatord daemon) {
        if (!result.succeeded()) {
            throw new AssertionError(what + " failed: " + result.describe() + "\n--- nugatord log ---\n" + Nugatord.tail(daemon.log()));
        }
    }

    private static void assertPings(Podman podman, String from, String to, Nugatord daemon) {
        ProcResult last = null;
        for (int i = 0; i < 3; i++) {
            last = podman.exec(from, "/bin/ping", "-c", "1", "-W", "2", to);
            if (last.succeeded()) {
                return;
            }
        }
        throw new AssertionError("ping from container " + from + " to " + to + " does not cross: " + last.describe()
                + "\n--- inside ---\n" + podman.exec(from, "/bin/ip", "addr").stdout()
                + "\n--- nugatord log ---\n" + Nugatord.tail(daemon.log()));
    }

    /** The {@code run}-th start's view (ip -o link / ip -o addr as printed by the container's first command). */
    private static StartView startView(Podman podman, String container, int run) {
        String logs = Await.until(container + "'s start number " + run + " in podman logs",
                () -> podman.logs(container), text -> count(text, "==end") >= run);
        int start = nth(logs, "==start", run);
        int end = logs.indexOf("==end", start);
        return StartView.parse(container, logs.substring(start, end));
    }

    private static int count(String text, String marker) {
        int n = 0;
        for (int i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, i + 1)) {
            n++;
        }
        return n;
    }

    private static int nth(String text, String marker, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = text.indexOf(marker, at + 1);
        }
        return at;
    }

    /** busybox {@code ip -o link} and {@code ip -o addr} lines, by interface. */
    private record StartView(String container, Map<String, Set<String>> flags, Map<String, List<String>> ipv4, String raw) {
        private static final Pattern LINK_LINE = Pattern.compile("^\\d+:\\s+([^:@\\s]+)(?:@\\S+)?:\\s+<([^>]*)>");
        private static final Pattern ADDR_LINE = Pattern.compile("^\\d+:\\s+(\\S+)\\s+inet\\s+(\\S+)");

        static StartView parse(String container, String text) {
            var flags = new LinkedHashMap<String, Set<String>>();
            var ipv4 = new LinkedHashMap<String, List<String>>();
            text.lines().forEach(line -> {
                var link = LINK_LINE.matcher(line);
                if (link.find()) {
                    flags.put(link.group(1), Set.of(link.group(2).split(",")));
                }
                var addr = ADDR_LINE.matcher(line);
                if (addr.find()) {
                    ipv4.computeIfAbsent(addr.group(1), k -> new ArrayList<>()).add(addr.group(2));
                }
            });
            return new StartView(container, flags, ipv4, text);
        }

        Set<String> flags(String ifname) {
            var f = flags.get(ifname);
            if (f == null) {
                throw new AssertionError("no " + ifname + " at the start of " + container + "\n" + describe());
            }
            return f;
        }

        List<String> ipv4(String ifname) {
            flags(ifname);
            return ipv4.getOrDefault(ifname, List.of());
        }

        String describe() {
            return "what " + container + " saw at its start:\n" + raw;
        }
    }
}
