package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nugator.testkit.Await;
import dev.nugator.testkit.CniResult;
import dev.nugator.testkit.IpAddr;
import dev.nugator.testkit.Json;
import dev.nugator.testkit.LabPod;
import dev.nugator.testkit.Link;
import dev.nugator.testkit.LinkLab;
import dev.nugator.testkit.LinkStatusReport;
import dev.nugator.testkit.Ping;
import dev.nugator.testkit.ProcResult;
import dev.nugator.testkit.RootIntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Many links from topology files: a pod with three peers arriving in every order, a ring of 20
 * pods started at once, links applied and deleted while the pods run, invalid files refused whole,
 * and {@code topology get -o json} round-tripping.
 */
@RootIntegrationTest
class LinkTopologyTest {
    private static final String HUB_TOPOLOGY = """
            name: hub
            links:
              - a: {pod: hub, ifname: e1, ipv4: 192.0.2.1/30}
                b: {pod: p1, ifname: e1, ipv4: 192.0.2.2/30}
              - a: {pod: hub, ifname: e2, ipv4: 192.0.2.5/30}
                b: {pod: p2, ifname: e1, ipv4: 192.0.2.6/30}
              - a: {pod: p3, ifname: e1, ipv4: 192.0.2.10/30}
                b: {pod: hub, ifname: e3, ipv4: 192.0.2.9/30}
            """;
    /** peer -> (hub's ifname, hub's address, peer's address). */
    private static final Map<String, List<String>> SPOKES = Map.of(
            "p1", List.of("e1", "192.0.2.1", "192.0.2.2"),
            "p2", List.of("e2", "192.0.2.5", "192.0.2.6"),
            "p3", List.of("e3", "192.0.2.9", "192.0.2.10"));
    private static final int RING = 20;

    @RegisterExtension
    final LinkLab lab = LinkLab.create();

    /** Each order of the three peers, with the hub arriving first, second, third or last. */
    static Stream<Arguments> arrivalOrders() {
        var permutations = List.of(List.of("p1", "p2", "p3"), List.of("p1", "p3", "p2"), List.of("p2", "p1", "p3"),
                List.of("p2", "p3", "p1"), List.of("p3", "p1", "p2"), List.of("p3", "p2", "p1"));
        return IntStream.range(0, permutations.size()).mapToObj(i -> {
            var order = new ArrayList<>(permutations.get(i));
            order.add(i % 4, "hub");
            return Arguments.of(order);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("arrivalOrders")
    void aPodLinkedToThreePeersHasAllLinksUpWhateverTheOrderOfArrival(List<String> order) {
        lab.ctl().applyTopology(HUB_TOPOLOGY).requireSuccess();
        var pods = new LinkedHashMap<String, LabPod>();
        order.forEach(name -> pods.put(name, lab.pod(name)));

        var started = new ArrayList<String>();
        for (String name : order) {
            pods.get(name).attach();
            started.add(name);
            // from its ADD on, every pod that runs has all its link interfaces with their addresses
            for (String running : started) {
                assertInterfacesPresent(pods.get(running), running);
            }
        }

        LabPod hub = pods.get("hub");
        SPOKES.forEach((peer, spoke) -> {
            assertCarrier(hub, spoke.get(0));
            assertCarrier(pods.get(peer), "e1");
            Ping.assertCrosses(hub.netns(), spoke.get(2));
        });
        assertThat(lab.status().states()).as("%s", lab.status()).containsExactly("up", "up", "up");
        assertThat(lab.panelDevices()).as("two ports per link, all up").hasSize(6).allMatch(Link::isUp);
    }

    @Test
    void twentyPodsStartedAtOnceInARingHaveAllLinksUpAndEveryNeighbourPairPings() throws Exception {
        lab.ctl().applyTopology(ringTopology()).requireSuccess();
        var pods = new ArrayList<LabPod>();
        for (int i = 0; i < RING; i++) {
            pods.add(lab.pod(ringPod(i)));
        }

        var go = new CountDownLatch(1);
        var results = new ArrayList<Future<CniResult>>();
        try (ExecutorService pool = Executors.newFixedThreadPool(RING)) {
            for (LabPod pod : pods) {
                results.add(pool.submit(() -> {
                    go.await();
                    return pod.add();
                }));
            }
            go.countDown();
            for (int i = 0; i < RING; i++) {
                CniResult result = results.get(i).get();
                assertThat(result.exitCode()).as("parallel ADD of %s%n%s%n%s", pods.get(i), result.describe(), lab.logTail())
                        .isZero();
            }
        }

        LinkStatusReport status = lab.status();
        assertThat(status.links()).as("%s", status).hasSize(RING);
        assertThat(status.states()).as("%s", status).containsOnly("up");
        for (int i = 0; i < RING; i++) {
            LabPod pod = pods.get(i);
            Link right = pod.requireLink("right");
            Link left = pod.requireLink("left");
            assertThat(right.addresses()).extracting(IpAddr::cidr).as("right of %s", pod).contains(ringAddress(i, true) + "/30");
            assertThat(left.addresses()).extracting(IpAddr::cidr).as("left of %s", pod)
                    .contains(ringAddress(Math.floorMod(i - 1, RING), false) + "/30");
            assertThat(LabPod.carrier(right)).as("carrier of right in %s: %s", pod, right).isTrue();
            assertThat(LabPod.carrier(left)).as("carrier of left in %s: %s", pod, left).isTrue();
        }
        for (int i = 0; i < RING; i++) {
            Ping.assertCrosses(pods.get(i).netns(), ringAddress(i, false));
        }
        assertThat(lab.panelDevices()).as("two ports per link, all up").hasSize(2 * RING).allMatch(Link::isUp);
    }

    @Test
    void linksAppliedChangedAndDeletedWhilePodsRunTakeEffectWithoutRestartingThem() {
        String first = """
                name: live
                links:
                  - a: {pod: r1, ifname: e1, ipv4: 192.0.2.1/30}
                    b: {pod: r2, ifname: e1, ipv4: 192.0.2.2/30}
                """;
        lab.ctl().applyTopology(first).requireSuccess();
        LabPod r1 = lab.pod("r1");
        LabPod r2 = lab.pod("r2");
        r1.attach();
        r2.attach();
        int e1Index = r1.requireLink("e1").index();
        String r1Container = r1.containerId();

        lab.ctl().applyTopology(first + """
                  - a: {pod: r1, ifname: e2, ipv4: 203.0.113.1/30}
                    b: {pod: r2, ifname: e2, ipv4: 203.0.113.2/30}
                  - a: {pod: r1, ifname: e3, ipv4: 203.0.113.5/30}
                    b: {pod: r3, ifname: e1, ipv4: 203.0.113.6/30}
                """).requireSuccess();

        awaitLink(r1, "e2", true);
        awaitLink(r2, "e2", true);
        Link e3 = awaitLink(r1, "e3", false);
        assertThat(e3.addresses()).extracting(IpAddr::cidr).contains("203.0.113.5/30");
        assertThat(LabPod.carrier(e3)).as("r3 does not run: no carrier on e3").isFalse();
        Ping.assertCrosses(r1.netns(), "203.0.113.2");
        assertThat(lab.panelDevices()).as("r1's port of e3 waits down in the panel")
                .filteredOn(port -> !port.isUp()).hasSize(1);
        assertThat(r1.requireLink("e1").index()).as("the unchanged link was left alone").isEqualTo(e1Index);
        assertThat(r1.containerId()).isEqualTo(r1Container);

        // e2 leaves the file, e1 gets other addresses, e3 stays as it is
        lab.ctl().applyTopology("""
                name: live
                links:
                  - a: {pod: r1, ifname: e1, ipv4: 192.0.2.5/30}
                    b: {pod: r2, ifname: e1, ipv4: 192.0.2.6/30}
                  - a: {pod: r1, ifname: e3, ipv4: 203.0.113.5/30}
                    b: {pod: r3, ifname: e1, ipv4: 203.0.113.6/30}
                """).requireSuccess();

        awaitGone(r1, "e2");
        awaitGone(r2, "e2");
        Await.until("r1's e1 with 192.0.2.5/30 instead of 192.0.2.1/30", () -> r1.requireLink("e1").addresses(),
                a -> a.stream().map(IpAddr::cidr).toList().contains("192.0.2.5/30")
                        && !a.stream().map(IpAddr::cidr).toList().contains("192.0.2.1/30"));
        Await.until("r2's e1 with 192.0.2.6/30", () -> r2.requireLink("e1").addresses(),
                a -> a.stream().map(IpAddr::cidr).toList().contains("192.0.2.6/30"));
        Ping.assertCrosses(r1.netns(), "192.0.2.6");
        assertThat(r1.netns().linkNames()).as("what r1 keeps").contains("e1", "e3");

        ProcResult delete = lab.ctl().run("topology", "delete", "live");
        assertThat(delete.exitCode()).as(delete.describe()).isZero();

        awaitGone(r1, "e1");
        awaitGone(r1, "e3");
        awaitGone(r2, "e1");
        Await.until("nothing left in the panel", lab::panelNames, List::isEmpty);
        assertThat(lab.status().links()).as("links after topology delete").isEmpty();
    }

    @Test
    void anInvalidFileIsRefusedWholeNamingEachLinkAndFieldAndNothingIsApplied() throws Exception {
        lab.ctl().applyTopology("""
                name: lab
                links:
                  - a: {pod: r1, ifname: e1, ipv4: 192.0.2.1/30}
                    b: {pod: r2, ifname: e1, ipv4: 192.0.2.2/30}
                """).requireSuccess();
        LabPod r1 = lab.pod("r1");
        r1.attach();
        JsonNode statusBefore = lab.status().raw();
        JsonNode topologyBefore = lab.ctl().topology("lab");

        ProcResult invalid = lab.ctl().applyTopology("""
                name: lab
                links:
                  - a: {pod: r1, ifname: e1, ipv4: 192.0.2.1/30}
                    b: {pod: r2, ifname: e1, ipv4: 192.0.2.2/30}
                  - a: {pod: r1, ifname: e2, ipv4: 198.51.100.1/30}
                    b: {pod: r3, ifname: e1, ipv4: 198.51.100.300/30}
                  - a: {pod: r1, ifname: e3, ipv4: 203.0.113.1/30}
                    b: {pod: r4, ifname: e1, ipv4: 203.0.113.2/30}
                    mtu: 10
                  - a: {pod: r5, ifname: e1, ipv4: 203.0.113.5/30}
                """);

        assertThat(invalid.exitCode()).as(invalid.describe()).isEqualTo(1);
        assertThat(invalid.stderr()).as("every problem named by link and field")
                .contains("links[1].b.ipv4").contains("198.51.100.300")
                .contains("links[2].mtu")
                .contains("links[3].b");
        assertThat(lab.status().raw()).as("status after the refused file").isEqualTo(statusBefore);
        assertThat(lab.ctl().topology("lab")).as("topology after the refused file").isEqualTo(topologyBefore);
        assertThat(r1.netns().linkNames()).as("r1 got nothing from the refused file").containsExactlyInAnyOrder("lo", "e1");

        ProcResult duplicate = lab.ctl().applyTopology("""
                name: lab
                links:
                  - a: {pod: r1, ifname: e1, ipv4: 192.0.2.1/30}
                    b: {pod: r2, ifname: e1, ipv4: 192.0.2.2/30}
                  - a: {pod: r1, ifname: e1, ipv4: 198.51.100.1/30}
                    b: {pod: r3, ifname: e1, ipv4: 198.51.100.2/30}
                """);
        assertThat(duplicate.exitCode()).as(duplicate.describe()).isEqualTo(1);
        assertThat(duplicate.stderr()).as("an interface is the end of one link only").contains("links[1]").contains("r1:e1");

        Path notYaml = lab.tempDir().resolve("broken.yaml");
        Files.writeString(notYaml, "links: [\n");
        ProcResult unreadable = lab.ctl().run("topology", "apply", "-f", notYaml.toString());
        assertThat(unreadable.exitCode()).as(unreadable.describe()).isEqualTo(2);
        assertThat(unreadable.stderr()).contains(notYaml.toString());

        assertThat(lab.status().raw()).as("status after all refused files").isEqualTo(statusBefore);
    }

    @Test
    void topologyGetJsonRoundTripsAndItsLinksAreWhatThePodsGet() throws Exception {
        lab.ctl().applyTopology("""
                name: rt
                namespace: lab
                links:
                  - a: {pod: r1, ifname: eth1, ipv4: 192.0.2.1/30, ipv6: "2001:db8::1/64"}
                    b: {pod: default/r2, ifname: eth1, ipv4: 192.0.2.2/30, mac: "02:00:00:00:00:02"}
                    mtu: 9000
                  - a: {pod: r3, ifname: eth1, addresses: [198.51.100.1/31]}
                    b: {pod: r1, ifname: eth2, addresses: ["198.51.100.0/31"]}
                """).requireSuccess();

        JsonNode got = lab.ctl().topology("rt");
        JsonNode topology = onlyTopology(got, "rt");
        JsonNode first = linkWithEnd(topology, "lab/r1", "eth1");
        assertThat(endOf(first, "lab/r1", "eth1").path("addresses")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("192.0.2.1/30", "2001:db8::1/64");
        assertThat(endOf(first, "default/r2", "eth1").path("mac").asText()).isEqualTo("02:00:00:00:00:02");
        assertThat(first.path("mtu").asInt()).isEqualTo(9000);
        JsonNode second = linkWithEnd(topology, "lab/r3", "eth1");
        assertThat(endOf(second, "lab/r1", "eth2").path("addresses")).extracting(JsonNode::asText).containsExactly("198.51.100.0/31");

        Path file = lab.tempDir().resolve("rt.json");
        Files.writeString(file, Json.write(topology));
        ProcResult again = lab.ctl().run("topology", "apply", "-f", file.toString());
        assertThat(again.exitCode()).as(again.describe()).isZero();
        assertThat(again.stdout()).as("re-applying what get printed changes nothing").contains("0 removed");
        assertThat(lab.ctl().topology("rt")).as("get after re-applying get's output").isEqualTo(got);
        var ids = new ArrayList<String>();
        topology.path("links").forEach(l -> ids.add(l.path("id").asText()));
        assertThat(lab.status().links()).extracting(LinkStatusReport.Entry::id).containsExactlyInAnyOrderElementsOf(ids);

        // and the pods get exactly that: addresses, the MAC, the MTU
        LabPod r1 = lab.pod("lab", "r1");
        LabPod r2 = lab.pod("default", "r2");
        r1.attach();
        r2.attach();
        assertThat(r1.requireLink("eth1").addresses()).extracting(IpAddr::cidr).contains("192.0.2.1/30", "2001:db8::1/64");
        assertThat(r2.requireLink("eth1").mac()).isEqualToIgnoringCase("02:00:00:00:00:02");
        assertThat(mtu(r1, "eth1")).isEqualTo(9000);
        assertThat(mtu(r2, "eth1")).isEqualTo(9000);
        assertThat(r1.requireLink("eth2").addresses()).extracting(IpAddr::cidr).contains("198.51.100.0/31");
        Ping.assertCrosses(r2.netns(), "192.0.2.1");
    }

    private static void assertInterfacesPresent(LabPod pod, String name) {
        if (name.equals("hub")) {
            SPOKES.values().forEach(spoke -> assertThat(pod.requireLink(spoke.get(0)).addresses()).extracting(IpAddr::cidr)
                    .as("%s of the hub", spoke.get(0)).contains(spoke.get(1) + "/30"));
        } else {
            assertThat(pod.requireLink("e1").addresses()).extracting(IpAddr::cidr).as("e1 of %s", name)
                    .contains(SPOKES.get(name).get(2) + "/30");
        }
    }

    private static void assertCarrier(LabPod pod, String ifname) {
        Link link = pod.requireLink(ifname);
        assertThat(LabPod.carrier(link)).as("carrier of %s in %s: %s", ifname, pod, link).isTrue();
    }

    private Link awaitLink(LabPod pod, String ifname, boolean carrier) {
        return Await.until(ifname + " in " + pod + (carrier ? " with carrier" : ""),
                () -> pod.link(ifname), l -> l.isPresent() && !l.get().addresses().isEmpty() && (!carrier || LabPod.carrier(l.get())))
                .orElseThrow();
    }

    private static void awaitGone(LabPod pod, String ifname) {
        Await.until(ifname + " gone from " + pod, () -> pod.netns().linkNames(), names -> !names.contains(ifname));
    }

    private static String ringPod(int i) {
        return "r%02d".formatted(i);
    }

    /** Link i joins r(i):right (.4i+1) and r(i+1):left (.4i+2) in 198.51.100.0/24. */
    private static String ringAddress(int link, boolean aSide) {
        return "198.51.100." + (4 * link + (aSide ? 1 : 2));
    }

    private static String ringTopology() {
        var yaml = new StringBuilder("name: ring\nlinks:\n");
        for (int i = 0; i < RING; i++) {
            yaml.append("  - a: {pod: %s, ifname: right, ipv4: %s/30}\n".formatted(ringPod(i), ringAddress(i, true)));
            yaml.append("    b: {pod: %s, ifname: left, ipv4: %s/30}\n".formatted(ringPod((i + 1) % RING), ringAddress(i, false)));
        }
        return yaml.toString();
    }

    private static JsonNode onlyTopology(JsonNode got, String name) {
        assertThat(got.path("topologies")).as("%s", got).hasSize(1);
        JsonNode topology = got.path("topologies").get(0);
        assertThat(topology.path("name").asText()).isEqualTo(name);
        return topology;
    }

    private static JsonNode linkWithEnd(JsonNode topology, String pod, String ifname) {
        for (JsonNode link : topology.path("links")) {
            for (String side : List.of("a", "b")) {
                if (link.path(side).path("pod").asText().equals(pod) && link.path(side).path("ifname").asText().equals(ifname)) {
                    return link;
                }
            }
        }
        throw new AssertionError("no link with end " + pod + ":" + ifname + " in " + topology);
    }

    private static JsonNode endOf(JsonNode link, String pod, String ifname) {
        for (String side : List.of("a", "b")) {
            if (link.path(side).path("pod").asText().equals(pod) && link.path(side).path("ifname").asText().equals(ifname)) {
                return link.path(side);
            }
        }
        throw new AssertionError("link " + link + " has no end " + pod + ":" + ifname);
    }

    private static int mtu(LabPod pod, String ifname) {
        JsonNode links = Json.parse(pod.netns().ip("-j", "link", "show", "dev", ifname).stdout());
        return links.get(0).path("mtu").asInt();
    }
}
