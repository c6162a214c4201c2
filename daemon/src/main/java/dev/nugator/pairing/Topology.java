package dev.nugator.pairing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.Names;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * A named set of links from one file, applied as a whole: links no longer in the file are removed.
 *
 * <pre>
 * name: lab1                 # optional, default "default"
 * namespace: default         # optional, the namespace of pods written without one
 * links:
 *   - a: {pod: r1, ifname: eth1, ipv4: 192.0.2.1/30, ipv6: 2001:db8::1/64}
 *     b: {pod: r2, ifname: eth1, ipv4: 192.0.2.2/30, mac: "02:00:00:00:00:02"}
 *     mtu: 9000
 * </pre>
 */
public record Topology(String name, List<LinkSpec> links) {
    public static final String DEFAULT_NAME = "default";

    public Topology {
        links = List.copyOf(links);
    }

    public String source() {
        return sourceOf(name);
    }

    public static String sourceOf(String name) {
        return "topology:" + name;
    }

    /** Parses and validates a whole file; throws with every problem found, naming link and field. */
    public static Topology parse(JsonNode tree) {
        var errors = new ArrayList<String>();
        if (!(tree instanceof ObjectNode file)) {
            throw new InvalidLinksException(List.of("the topology must be a mapping with name and links"));
        }
        file.fieldNames().forEachRemaining(key -> {
            if (!List.of("name", "namespace", "links").contains(key)) {
                errors.add(key + ": unknown field (expected one of links, name, namespace)");
            }
        });
        String name = file.path("name").asText(DEFAULT_NAME);
        if (!Names.isIdentifier(name)) {
            errors.add("name: '" + name + "' must match ^[a-zA-Z0-9][a-zA-Z0-9_.-]*$");
        }
        String namespace = file.path("namespace").asText(PodRef.DEFAULT_NAMESPACE);
        JsonNode list = file.get("links");
        if (list == null || !list.isArray()) {
            errors.add("links: is required (a list of links)");
            throw new InvalidLinksException(errors);
        }
        var parser = new LinkParser(namespace);
        var links = new ArrayList<LinkSpec>();
        for (int i = 0; i < list.size(); i++) {
            parser.link(list.get(i), "links[" + i + "]", sourceOf(name)).ifPresent(links::add);
        }
        errors.addAll(parser.errors());
        errors.addAll(conflicts(links));
        if (!errors.isEmpty()) {
            throw new InvalidLinksException(errors);
        }
        return new Topology(name, links);
    }

    /** An interface can be the end of one link only. */
    static List<String> conflicts(List<LinkSpec> links) {
        var errors = new ArrayList<String>();
        var owners = new HashMap<String, Integer>();
        for (int i = 0; i < links.size(); i++) {
            for (var side : Side.values()) {
                String end = links.get(i).end(side).label();
                Integer first = owners.putIfAbsent(end, i);
                if (first != null) {
                    errors.add("links[" + i + "]: " + end + " is already the end of links[" + first + "]");
                }
            }
        }
        return errors;
    }
}
