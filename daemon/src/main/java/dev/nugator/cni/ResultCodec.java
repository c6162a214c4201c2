package dev.nugator.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.Result.IpConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a result of any supported version into {@link Result} and writes one in any version.
 * Going down loses what the older version cannot say: 0.1.0/0.2.0 hold one address per family,
 * versions before 1.1.0 know no interface mtu/socketPath/pciID and no route mtu/advmss/priority/table/scope.
 */
public final class ResultCodec {
    private static final Set<String> INTERFACE_FIELDS_BEFORE_1_1 = Set.of("name", "mac", "sandbox");
    private static final Set<String> ROUTE_FIELDS_BEFORE_1_1 = Set.of("dst", "gw");

    private ResultCodec() {}

    /** Reads a result; its own "cniVersion" wins over {@code assumed}, the version it was asked for. */
    public static Result read(ObjectNode json, CniVersion assumed, String what) {
        var version = Optional.ofNullable(json.get("cniVersion")).filter(JsonNode::isTextual)
                .map(v -> CniVersion.parse(v.asText(), what + ".cniVersion")).orElse(assumed);
        try {
            return version.hasLegacyResult() ? readLegacy(json) : readCurrent(json);
        } catch (RuntimeException e) {
            if (e instanceof CniError error) {
                throw error;
            }
            throw new CniError(CniError.DECODING_FAILURE, what + " is not a valid " + version + " result: " + e.getMessage());
        }
    }

    private static Result readCurrent(ObjectNode json) {
        var interfaces = objects(json.get("interfaces"));
        var ips = new ArrayList<IpConfig>();
        for (var ip : objects(json.get("ips"))) {
            ips.add(new IpConfig(ip.required("address").asText(), text(ip, "gateway"),
                    Optional.ofNullable(ip.get("interface")).filter(JsonNode::isInt).map(JsonNode::asInt)));
        }
        return new Result(interfaces, ips, objects(json.get("routes")), dns(json));
    }

    private static Result readLegacy(ObjectNode json) {
        var ips = new ArrayList<IpConfig>();
        var routes = new ArrayList<ObjectNode>();
        for (String family : List.of("ip4", "ip6")) {
            if (json.get(family) instanceof ObjectNode ip) {
                ips.add(new IpConfig(ip.required("ip").asText(), text(ip, "gateway"), Optional.empty()));
                routes.addAll(objects(ip.get("routes")));
            }
        }
        return new Result(List.of(), ips, routes, dns(json));
    }

    public static ObjectNode write(Result result, CniVersion version) {
        var json = Json.MAPPER.createObjectNode().put("cniVersion", version.text());
        if (version.hasLegacyResult()) {
            writeLegacy(result, json);
        } else {
            writeCurrent(result, version, json);
        }
        json.set("dns", result.dns().map(ObjectNode::deepCopy).orElseGet(Json.MAPPER::createObjectNode));
        return json;
    }

    private static void writeCurrent(Result result, CniVersion version, ObjectNode json) {
        boolean full = version.atLeast(CniVersion.V1_1_0);
        if (!result.interfaces().isEmpty()) {
            var interfaces = json.putArray("interfaces");
            result.interfaces().forEach(i -> interfaces.add(full ? i.deepCopy() : only(i, INTERFACE_FIELDS_BEFORE_1_1)));
        }
        if (!result.ips().isEmpty()) {
            var ips = json.putArray("ips");
            for (var ip : result.ips()) {
                var entry = ips.addObject();
                if (version.ipsCarryVersion()) {
                    entry.put("version", ip.isV6() ? "6" : "4");
                }
                entry.put("address", ip.address());
                ip.gateway().ifPresent(g -> entry.put("gateway", g));
                ip.iface().ifPresent(i -> entry.put("interface", i));
            }
        }
        if (!result.routes().isEmpty()) {
            var routes = json.putArray("routes");
            result.routes().forEach(r -> routes.add(full ? r.deepCopy() : only(r, ROUTE_FIELDS_BEFORE_1_1)));
        }
    }

    private static void writeLegacy(Result result, ObjectNode json) {
        for (boolean v6 : new boolean[] {false, true}) {
            var first = result.ips().stream().filter(ip -> ip.isV6() == v6).findFirst();
            if (first.isEmpty()) {
                continue;
            }
            var family = json.putObject(v6 ? "ip6" : "ip4");
            family.put("ip", first.get().address());
            first.get().gateway().ifPresent(g -> family.put("gateway", g));
            ArrayNode routes = Json.MAPPER.createArrayNode();
            // Several delegates often add the same default route; the old format has room for it once.
            result.routes().stream()
                    .filter(r -> r.path("dst").asText().contains(":") == v6)
                    .map(r -> only(r, ROUTE_FIELDS_BEFORE_1_1))
                    .distinct()
                    .forEach(routes::add);
            if (!routes.isEmpty()) {
                family.set("routes", routes);
            }
        }
    }

    private static ObjectNode only(ObjectNode node, Set<String> fields) {
        var copy = Json.MAPPER.createObjectNode();
        node.properties().forEach(e -> {
            if (fields.contains(e.getKey())) {
                copy.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        return copy;
    }

    private static List<ObjectNode> objects(JsonNode array) {
        var list = new ArrayList<ObjectNode>();
        if (array != null && array.isArray()) {
            array.forEach(n -> {
                if (n instanceof ObjectNode o) {
                    list.add(o.deepCopy());
                }
            });
        }
        return list;
    }

    private static Optional<ObjectNode> dns(ObjectNode json) {
        return json.get("dns") instanceof ObjectNode dns && !dns.isEmpty() ? Optional.of(dns.deepCopy()) : Optional.empty();
    }

    private static Optional<String> text(ObjectNode node, String key) {
        return Optional.ofNullable(node.get(key)).filter(JsonNode::isTextual).map(JsonNode::asText).filter(s -> !s.isEmpty());
    }
}
