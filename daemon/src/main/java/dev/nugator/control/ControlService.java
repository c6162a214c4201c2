package dev.nugator.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.CniReply;
import dev.nugator.cni.Json;
import dev.nugator.pairing.InvalidLinksException;
import dev.nugator.pairing.Keys;
import dev.nugator.pairing.LinkJson;
import dev.nugator.pairing.LinkParser;
import dev.nugator.pairing.LinkRegistry;
import dev.nugator.pairing.LinkSpec;
import dev.nugator.pairing.LinkStatus;
import dev.nugator.pairing.LinkStatusSource;
import dev.nugator.pairing.PodRef;
import dev.nugator.pairing.Topology;
import dev.nugator.store.KeyValue;
import dev.nugator.store.StoreUnavailableException;
import dev.nugator.wire.Pages;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nugatorctl's requests: {@code {"op": ..., ...}} in, {@code {...}} or {@code {"error", "problems"}}
 * out with exit code 1. Links are written to the store here; the link engine makes them real. The
 * answers that grow with the links (status, topology get) come in pages that each fit one frame.
 */
public final class ControlService {
    private static final Logger log = LoggerFactory.getLogger(ControlService.class);
    private final LinkRegistry registry;
    private final LinkStatusSource status;

    public ControlService(LinkRegistry registry, LinkStatusSource status) {
        this.registry = registry;
        this.status = status;
    }

    public CniReply handle(byte[] body) {
        try {
            var request = Json.parseObject(body, "the control request");
            String op = request.path("op").asText("");
            return CniReply.success(switch (op) {
                case "announce" -> announce(request);
                case "topology.apply" -> apply(request);
                case "topology.get" -> get(request);
                case "topology.delete" -> delete(request);
                case "status" -> status(request);
                default -> throw new IllegalArgumentException("unknown operation '" + op + "'");
            });
        } catch (InvalidLinksException e) {
            return failure("invalid links", e.problems());
        } catch (StoreUnavailableException e) {
            return failure("the link store is unavailable: " + e.getMessage(), List.of(), true);
        } catch (RuntimeException e) {
            log.debug("control request failed", e);
            return failure(e.getMessage() == null ? e.toString() : e.getMessage(), List.of());
        }
    }

    private ObjectNode announce(ObjectNode request) {
        var parser = new LinkParser(request.path("namespace").asText(PodRef.DEFAULT_NAMESPACE));
        var link = parser.link(request.get("link"), "link", "announce");
        if (link.isEmpty()) {
            throw new InvalidLinksException(parser.errors());
        }
        registry.announce(link.get());
        log.info("announced {}", link.get().label());
        var reply = Json.MAPPER.createObjectNode();
        reply.set("link", LinkJson.write(link.get()));
        return reply;
    }

    private ObjectNode apply(ObjectNode request) {
        var topology = Topology.parse(request.get("topology"));
        int removed = registry.apply(topology);
        log.info("topology {} applied: {} link(s), {} removed", topology.name(), topology.links().size(), removed);
        return Json.MAPPER.createObjectNode().put("name", topology.name()).put("links", topology.links().size()).put("removed", removed);
    }

    /**
     * A page of the topologies' links (see {@link Pages}). Each topology is an entry of its own (its
     * name, so that one without links is shown too) followed by its links; a page that starts inside
     * a topology repeats its name, and nugatorctl joins the two.
     */
    private ObjectNode get(ObjectNode request) {
        long revision = linksRevision();
        var entries = topologyEntries(topologiesAsked(request));
        var page = Page.of(request, entries.json());
        var reply = Json.MAPPER.createObjectNode();
        var topologies = reply.putArray("topologies");
        ArrayNode links = null;
        for (int i = page.from(); i < page.to(); i++) {
            if (entries.starts().get(i) || i == page.from()) {
                links = topologies.addObject().put("name", entries.names().get(i)).putArray("links");
            }
            if (!entries.starts().get(i)) {
                links.add(entries.json().get(i));
            }
        }
        return page.finish(reply, revision);
    }

    private List<String> topologiesAsked(ObjectNode request) {
        if (!request.hasNonNull("name")) {
            return registry.topologyNames();
        }
        String name = request.get("name").asText();
        if (!registry.topologyNames().contains(name)) {
            throw new IllegalArgumentException("no topology named '" + name + "'");
        }
        return List.of(name);
    }

    /** Entry i is {@code json.get(i)}, of the topology {@code names.get(i)}; {@code starts} marks each topology's own entry. */
    private record TopologyEntries(List<JsonNode> json, List<String> names, BitSet starts) {}

    private TopologyEntries topologyEntries(List<String> topologies) {
        var byId = new HashMap<String, LinkSpec>();
        registry.links().forEach(l -> byId.put(l.id(), l));
        var entries = new TopologyEntries(new ArrayList<>(), new ArrayList<>(), new BitSet());
        for (String name : topologies) {
            entries.starts().set(entries.json().size());
            var own = Json.MAPPER.createObjectNode().put("name", name);
            own.putArray("links");
            entries.json().add(own);
            entries.names().add(name);
            registry.topologyLinks(name).stream().filter(byId::containsKey).forEach(id -> {
                entries.json().add(LinkJson.write(byId.get(id)));
                entries.names().add(name);
            });
        }
        return entries;
    }

    private ObjectNode delete(ObjectNode request) {
        String name = request.path("name").asText(Topology.DEFAULT_NAME);
        if (!registry.topologyNames().contains(name)) {
            throw new IllegalArgumentException("no topology named '" + name + "'");
        }
        int removed = registry.deleteTopology(name);
        log.info("topology {} deleted: {} link(s) removed", name, removed);
        return Json.MAPPER.createObjectNode().put("name", name).put("removed", removed);
    }

    /** A page of every link's status, then of the stored records that could not be read (see {@link Pages}). */
    private ObjectNode status(ObjectNode request) {
        long revision = linksRevision();
        var entries = new ArrayList<JsonNode>();
        status.status().forEach(s -> entries.add(statusEntry(s)));
        int links = entries.size();
        registry.unreadable().forEach(r -> entries.add(Json.MAPPER.createObjectNode().put("key", r.key()).put("reason", r.reason())));
        var page = Page.of(request, entries);
        var reply = Json.MAPPER.createObjectNode();
        var linkArray = reply.putArray("links");
        var unreadable = reply.putArray("unreadable");
        for (int i = page.from(); i < page.to(); i++) {
            (i < links ? linkArray : unreadable).add(entries.get(i));
        }
        return page.finish(reply, revision);
    }

    private static ObjectNode statusEntry(LinkStatus s) {
        var entry = Json.MAPPER.createObjectNode().put("id", s.link().id()).put("state", lower(s.state())).put("reason", s.reason());
        entry.set("a", end(s.link().a().label(), s.a()));
        entry.set("b", end(s.link().b().label(), s.b()));
        s.vni().ifPresent(vni -> entry.put("vni", vni));
        entry.put("source", s.link().source());
        s.link().owner().ifPresent(o -> entry.put("owner", s.link().end(o).label()));
        if (!s.link().labels().isEmpty()) {
            var labels = entry.putObject("labels");
            s.link().labels().forEach(labels::put);
        }
        return entry;
    }

    /** Changes with every change of links (and of topologies): pages of one revision join into one answer. */
    private long linksRevision() {
        return registry.store().get(Keys.LINKS_VERSION).map(KeyValue::modRevision).orElse(0L);
    }

    /** The entries {@code [from, to)} of {@code total} that one reply carries, so that it fits a frame. */
    private record Page(int from, int to, int total) {
        static Page of(ObjectNode request, List<JsonNode> entries) {
            var offset = request.path(Pages.OFFSET);
            if (!offset.isMissingNode() && !(offset.canConvertToInt() && offset.isIntegralNumber() && offset.asInt() >= 0)) {
                throw new IllegalArgumentException(Pages.OFFSET + ": expected a whole number of 0 or more, not " + offset);
            }
            // Past the end only when the entries changed since the previous page: the revision tells the client.
            int from = Math.min(offset.asInt(0), entries.size());
            int[] sizes = entries.stream().mapToInt(e -> Json.bytes(e).length).toArray();
            return new Page(from, Pages.end(sizes, from, Pages.ROOM), entries.size());
        }

        ObjectNode finish(ObjectNode reply, long revision) {
            if (to < total) {
                reply.put(Pages.NEXT, to);
            }
            return reply.put(Pages.REVISION, revision);
        }
    }

    private static JsonNode end(String label, LinkStatus.EndStatus end) {
        return Json.MAPPER.createObjectNode().put("end", label).put("state", end.state()).put("detail", end.detail())
                .put("node", end.node()).put("kind", end.kind());
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static CniReply failure(String error, List<String> problems) {
        return failure(error, problems, false);
    }

    /** {@code unavailable}: the store did not answer, which a retry may cure (nugatorctl exits 3, not 1). */
    private static CniReply failure(String error, List<String> problems, boolean unavailable) {
        var body = Json.MAPPER.createObjectNode().put("error", error);
        if (unavailable) {
            body.put("unavailable", true);
        }
        var list = body.putArray("problems");
        problems.forEach(list::add);
        return new CniReply(1, Json.bytes(body));
    }
}
