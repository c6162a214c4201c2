package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nugator.testkit.Json;
import dev.nugator.testkit.Names;
import dev.nugator.testkit.NugatorNode;
import dev.nugator.testkit.Nugatorctl;
import dev.nugator.testkit.ProcResult;
import dev.nugator.testkit.RootIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A lab of tens of thousands of links, applied with nugatorctl: {@code status}, {@code status -o
 * json} and {@code topology get} answer far more than one frame may carry (4 MiB), and still show
 * every link once, in the same format as a small lab's.
 */
@RootIntegrationTest
class LargeRepliesTest {
    @RegisterExtension
    static final NugatorNode NODE = NugatorNode.create();

    /** Small enough for the apply request to fit one frame, large enough for each answer to need several. */
    private static final int LINKS = 30_000;
    private static final int FRAME_LIMIT = 4 * 1024 * 1024;

    @Test
    void statusAndTopologyGetShowEveryLinkOfAHugeTopology() {
        var ctl = Nugatorctl.at(NODE.socket());
        String name = Names.unique("ntlarge");
        try {
            ctl.applyTopology(topology(name)).requireSuccess();

            var ids = assertStatusJsonHasEveryLink(ctl.run("status", "-o", "json"));
            assertTableHasEveryLink(ctl.run("status"), ids);
            assertTopologyHasEveryLink(ctl.run("topology", "get", name, "-o", "json"), name);
            ProcResult yaml = ctl.run("topology", "get");
            assertThat(yaml.exitCode()).as(yaml.describe()).isZero();
            assertThat(yaml.stdout().lines().filter(l -> l.matches("\\s*- a:|\\s*a:")).count())
                    .as("links in the YAML of every topology").isEqualTo(LINKS);
        } finally {
            ctl.run("topology", "delete", name);
        }
    }

    /** Each link r{i}:e1 <-> s{i}:e1, with no address, so that the file stays small. */
    private static String topology(String name) {
        var yaml = new StringBuilder("name: ").append(name).append("\nlinks:\n");
        for (int i = 0; i < LINKS; i++) {
            yaml.append("  - a: {pod: r").append(i).append(", ifname: e1}\n    b: {pod: s").append(i).append(", ifname: e1}\n");
        }
        return yaml.toString();
    }

    private static Set<String> expectedEnds() {
        var ends = new HashSet<String>();
        for (int i = 0; i < LINKS; i++) {
            ends.add("default/r" + i + ":e1 default/s" + i + ":e1");
        }
        return ends;
    }

    private static Set<String> assertStatusJsonHasEveryLink(ProcResult result) {
        assertThat(result.exitCode()).as(result.describe()).isZero();
        JsonNode root = Json.parse(result.stdout());
        assertThat(Json.write(root).getBytes(StandardCharsets.UTF_8).length).as("the answer's size").isGreaterThan(FRAME_LIMIT);
        var fields = new ArrayList<String>();
        root.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as("the document's keys, as for a small lab").containsExactly("links", "unreadable");
        var ends = new ArrayList<String>();
        var ids = new HashSet<String>();
        for (JsonNode link : root.path("links")) {
            ends.add(link.path("a").path("end").asText() + " " + link.path("b").path("end").asText());
            ids.add(link.path("id").asText());
        }
        assertThat(ends).as("every link once").hasSize(LINKS).doesNotHaveDuplicates();
        assertThat(new HashSet<>(ends)).isEqualTo(expectedEnds());
        assertThat(ids).hasSize(LINKS);
        return ids;
    }

    private static void assertTableHasEveryLink(ProcResult result, Set<String> ids) {
        assertThat(result.exitCode()).as(result.describe()).isZero();
        List<String> lines = result.stdout().lines().toList();
        assertThat(lines.getFirst()).contains("LINK", "STATE", "END A", "END B", "WHY");
        var rows = lines.subList(1, lines.size()).stream().map(l -> l.split("\\s+", 2)[0]).toList();
        assertThat(rows).as("one row per link").hasSize(LINKS).doesNotHaveDuplicates();
        assertThat(new HashSet<>(rows)).isEqualTo(ids);
    }

    private static void assertTopologyHasEveryLink(ProcResult result, String name) {
        assertThat(result.exitCode()).as(result.describe()).isZero();
        JsonNode root = Json.parse(result.stdout());
        assertThat(Json.write(root).getBytes(StandardCharsets.UTF_8).length).as("the answer's size").isGreaterThan(FRAME_LIMIT);
        assertThat(root.path("topologies")).as("one topology, not one per page").hasSize(1);
        JsonNode topology = root.path("topologies").get(0);
        assertThat(topology.path("name").asText()).isEqualTo(name);
        var ends = new HashSet<String>();
        topology.path("links").forEach(l -> ends.add(l.at("/a/pod").asText() + ":" + l.at("/a/ifname").asText() + " "
                + l.at("/b/pod").asText() + ":" + l.at("/b/ifname").asText()));
        assertThat(topology.path("links")).hasSize(LINKS);
        assertThat(ends).isEqualTo(expectedEnds());
    }
}
