package dev.nugator.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What {@code nugatorctl status -o json} says about every link:
 * {@code {"links":[{"id","state","reason","a":{"end","state","detail","node","kind"},"b":{...},"source","vni"}]}}
 * ({@code node}, {@code kind} and {@code vni} come with many nodes; they read "" and empty when absent).
 * Lookups that fail throw AssertionErrors printing the whole report.
 *
 * @param raw the JSON as printed
 * @param links one entry per link
 */
public record LinkStatusReport(JsonNode raw, List<Entry> links) {

    /**
     * One end: {@code end} is "namespace/pod:ifname", state pending|up|down|error|remote, the node
     * its pod runs on and its kind ("veth"/"vxlan"), "" when status does not say.
     */
    public record End(String end, String state, String detail, String node, String kind) {
        public End(String end, String state, String detail) {
            this(end, state, detail, "", "");
        }
    }

    /** One link; {@code vni} is present when the link holds a VXLAN network identifier. */
    public record Entry(String id, String state, String reason, End a, End b, String source, OptionalInt vni) {
        public Entry(String id, String state, String reason, End a, End b, String source) {
            this(id, state, reason, a, b, source, OptionalInt.empty());
        }

        /** Whether one of its ends is {@code "ns/pod:ifname"}. */
        public boolean hasEnd(String end) {
            return a.end().equals(end) || b.end().equals(end);
        }

        /** The end named {@code "ns/pod:ifname"}. */
        public End end(String end) {
            if (a.end().equals(end)) {
                return a;
            }
            if (b.end().equals(end)) {
                return b;
            }
            throw new AssertionError("link " + id + " has no end " + end + ": " + this);
        }
    }

    public static LinkStatusReport parse(String json) {
        JsonNode raw = Json.parse(json);
        if (!raw.path("links").isArray()) {
            throw new AssertionError("status -o json has no \"links\" array: " + json);
        }
        var links = new ArrayList<Entry>();
        raw.path("links").forEach(l -> links.add(new Entry(l.path("id").asText(), l.path("state").asText(),
                l.path("reason").asText(), end(l.path("a")), end(l.path("b")), l.path("source").asText(),
                l.path("vni").canConvertToInt() || l.path("vni").isTextual() && l.path("vni").asText().matches("\\d+")
                        ? OptionalInt.of(l.path("vni").asInt()) : OptionalInt.empty())));
        return new LinkStatusReport(raw, List.copyOf(links));
    }

    private static End end(JsonNode node) {
        return new End(node.path("end").asText(), node.path("state").asText(), node.path("detail").asText(),
                node.path("node").asText(""), node.path("kind").asText(""));
    }

    public Optional<Entry> find(String end) {
        return links.stream().filter(l -> l.hasEnd(end)).findFirst();
    }

    /** The link with this end, or an AssertionError with the whole report. */
    public Entry link(String end) {
        return find(end).orElseThrow(() -> new AssertionError("no link with end " + end + " in status:\n" + Json.write(raw)));
    }

    /** The state of each link, e.g. ["up", "up", "pending"]. */
    public List<String> states() {
        return links.stream().map(Entry::state).toList();
    }

    @Override
    public String toString() {
        return Json.write(raw);
    }
}
