package dev.nugator.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.CniReply;
import dev.nugator.cni.Json;
import dev.nugator.pairing.InvalidLinksException;
import dev.nugator.pairing.LinkJson;
import dev.nugator.pairing.LinkParser;
import dev.nugator.pairing.LinkRegistry;
import dev.nugator.pairing.LinkStatus;
import dev.nugator.pairing.LinkStatusSource;
import dev.nugator.pairing.PodRef;
import dev.nugator.pairing.Topology;
import dev.nugator.store.StoreUnavailableException;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nugatorctl's requests: {@code {"op": ..., ...}} in, {@code {...}} or {@code {"error", "problems"}}
 * out with exit code 1. Links are written to the store here; the link engine makes them real.
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
                case "status" -> status();
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

    private ObjectNode get(ObjectNode request) {
        var names = request.hasNonNull("name") ? List.of(request.get("name").asText()) : registry.topologyNames();
        if (request.hasNonNull("name") && !registry.topologyNames().contains(names.getFirst())) {
            throw new IllegalArgumentException("no topology named '" + names.getFirst() + "'");
        }
        var reply = Json.MAPPER.createObjectNode();
        var topologies = reply.putArray("topologies");
        for (String name : names) {
            var ids = registry.topologyLinks(name);
            var topology = topologies.addObject().put("name", name);
            var links = topology.putArray("links");
            ids.forEach(id -> registry.link(id).ifPresent(l -> links.add(LinkJson.write(l))));
        }
        return reply;
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

    private ObjectNode status() {
        var reply = Json.MAPPER.createObjectNode();
        var links = reply.putArray("links");
        for (LinkStatus s : status.status()) {
            var entry = links.addObject().put("id", s.link().id()).put("state", lower(s.state())).put("reason", s.reason());
            entry.set("a", end(s.link().a().label(), s.a()));
            entry.set("b", end(s.link().b().label(), s.b()));
            s.vni().ifPresent(vni -> entry.put("vni", vni));
            entry.put("source", s.link().source());
            s.link().owner().ifPresent(o -> entry.put("owner", s.link().end(o).label()));
            if (!s.link().labels().isEmpty()) {
                var labels = entry.putObject("labels");
                s.link().labels().forEach(labels::put);
            }
        }
        return reply;
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
