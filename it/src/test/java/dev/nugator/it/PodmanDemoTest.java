package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.testkit.Dist;
import dev.nugator.testkit.FileTrees;
import dev.nugator.testkit.Ipv4;
import dev.nugator.testkit.Json;
import dev.nugator.testkit.Names;
import dev.nugator.testkit.NodeNamespace;
import dev.nugator.testkit.Nugatord;
import dev.nugator.testkit.Podman;
import dev.nugator.testkit.ProcResult;
import dev.nugator.testkit.RootCondition;
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
 * to the test (see {@link Podman}), so the machine's own podman state is neither read nor changed.
 */
class PodmanDemoTest {
    /** host-local names each lease file after the address it holds. */
    private static final Pattern LEASE_FILE = Pattern.compile("[0-9a-fA-F.:]+");

    @Test
    void podmanContainerGetsLoNet0AndNet1AndRemovingItReleasesBothDelegatesLeases() throws IOException {
        assumeTrue(RootCondition.isRoot(), "needs root: podman with the CNI backend and network namespaces");
        assumeTrue(Podman.available(), "podman is not installed (make deps installs it)");
        Path ipam = Files.createTempDirectory("ntipam-");
        String network = Names.unique("ntnet");
        try (var node = NodeNamespace.create(); var daemon = Nugatord.in(node).logLevel("debug").start();
             var podman = Podman.create(conflist(network, daemon, ipam))) {
            String container = Names.unique("ntpod");
            String id = require(podman.runDetached(container, "/bin/sleep", "600"), "podman run", daemon).stdout().strip();
            var inside = interfacesInside(podman, container, daemon);

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
            assertThat(leases(ipam))
                    .as("host-local leases while the container runs")
                    .containsExactlyInAnyOrder(network + "/" + Ipv4.stripPrefix(net0Address),
                            "mynet/" + Ipv4.stripPrefix(net1Address));

            require(podman.remove(container), "podman rm", daemon);

            assertThat(podman.containerNames()).as("containers podman still knows").doesNotContain(container);
            assertThat(leases(ipam))
                    .as("host-local leases after `podman rm`; nugatord log:%n%s", Nugatord.tail(daemon.log()))
                    .isEmpty();
            assertThat(attachmentFiles(daemon, network, id))
                    .as("nugatord's attachment state after `podman rm`").isEmpty();
        } finally {
            FileTrees.delete(ipam);
        }
    }

    /** {loopback, nugator with the seed's delegates}, leases kept under the test's own dir. */
    private static ObjectNode conflist(String network, Nugatord daemon, Path ipam) {
        ObjectNode seed = Json.readObject(Dist.seedFixture("nugator-demo.conf"));
        ArrayNode delegates = (ArrayNode) seed.get("delegates");
        delegates.forEach(d -> ((ObjectNode) d.get("ipam")).put("dataDir", ipam.toString()));
        ObjectNode nugator = Json.object().put("type", "nugator").put("socket", daemon.socket().toString());
        nugator.set("delegates", delegates);
        ObjectNode conflist = Json.object().put("cniVersion", "1.0.0").put("name", network);
        conflist.putArray("plugins").add(Json.object().put("type", "loopback")).add(nugator);
        return conflist;
    }

    private static Inside interfacesInside(Podman podman, String container, Nugatord daemon) {
        var links = require(podman.exec(container, "/bin/ip", "-o", "link"), "podman exec ip -o link", daemon);
        var addrs = require(podman.exec(container, "/bin/ip", "-o", "addr"), "podman exec ip -o addr", daemon);
        return Inside.parse(links.stdout(), addrs.stdout());
    }

    private static ProcResult require(ProcResult result, String what, Nugatord daemon) {
        if (!result.succeeded()) {
            throw new AssertionError(what + " failed: " + result.describe()
                    + "\n--- nugatord log (tail) ---\n" + Nugatord.tail(daemon.log()));
        }
        return result;
    }

    /** "network/address" of every host-local lease under the test's dataDir. */
    private static Set<String> leases(Path ipam) throws IOException {
        var leases = new TreeSet<String>();
        if (!Files.isDirectory(ipam)) {
            return leases;
        }
        try (Stream<Path> files = Files.walk(ipam)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> LEASE_FILE.matcher(f.getFileName().toString()).matches())
                    .forEach(f -> leases.add(ipam.relativize(f).toString()));
        }
        return leases;
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
}
