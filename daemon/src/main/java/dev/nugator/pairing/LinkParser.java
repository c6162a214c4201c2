package dev.nugator.pairing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.Names;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Reads links from a JSON or YAML tree (a topology file, a control request, a stored record),
 * collecting every problem with the field it is in ({@code links[3].b.ipv4: ...}) instead of
 * stopping at the first, so a user fixes a file in one go. What users write is read strictly (a
 * misspelt key is refused); stored records leniently ({@link #forStoredRecords}).
 */
public final class LinkParser {
    private static final Pattern MAC = Pattern.compile("^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$");
    private static final java.util.Set<String> LINK_FIELDS = java.util.Set.of("a", "b", "mtu", "owner", "labels", "id", "source");
    private static final java.util.Set<String> END_FIELDS = java.util.Set.of("pod", "ifname", "ipv4", "ipv6", "addresses", "mac");
    public static final int MIN_MTU = 68;
    public static final int MAX_MTU = 65535;

    private final String defaultNamespace;
    private final boolean refuseUnknownFields;
    private final List<String> errors = new ArrayList<>();

    /** A parser for what users write: topology files and control requests. */
    public LinkParser(String defaultNamespace) {
        this(defaultNamespace, true);
    }

    private LinkParser(String defaultNamespace, boolean refuseUnknownFields) {
        this.defaultNamespace = defaultNamespace;
        this.refuseUnknownFields = refuseUnknownFields;
    }

    /**
     * A parser for the store's link records, which ignores fields it does not know: during a rolling
     * upgrade a newer nugatord writes fields this one has never heard of, and its links must still work.
     */
    public static LinkParser forStoredRecords() {
        return new LinkParser(PodRef.DEFAULT_NAMESPACE, false);
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** Parses one link at {@code field}; empty (and errors recorded) when it is invalid. */
    public Optional<LinkSpec> link(JsonNode node, String field, String source) {
        int before = errors.size();
        if (!(node instanceof ObjectNode link)) {
            errors.add(field + ": must be a mapping with a and b");
            return Optional.empty();
        }
        unknownFields(link, field, LINK_FIELDS);
        var a = endpoint(link.get("a"), field + ".a");
        var b = endpoint(link.get("b"), field + ".b");
        OptionalInt mtu = mtu(link.get("mtu"), field + ".mtu");
        String owner = text(link.get("owner"), field + ".owner").orElse("");
        if (!owner.isEmpty() && !owner.equals("a") && !owner.equals("b")) {
            errors.add(field + ".owner: must be a or b, not '" + owner + "'");
        }
        var labels = labels(link.get("labels"), field + ".labels");
        if (errors.size() > before || a.isEmpty() || b.isEmpty()) {
            return Optional.empty();
        }
        if (a.get().label().equals(b.get().label())) {
            errors.add(field + ": both ends are " + a.get().label() + "; a link joins two different interfaces");
            return Optional.empty();
        }
        return Optional.of(LinkSpec.of(a.get(), b.get(), mtu, owner.equals("a"), owner.equals("b"), labels, source));
    }

    private Optional<Endpoint> endpoint(JsonNode node, String field) {
        if (!(node instanceof ObjectNode end)) {
            errors.add(field + ": is required (a mapping with pod, ifname and addresses)");
            return Optional.empty();
        }
        int before = errors.size();
        unknownFields(end, field, END_FIELDS);
        Optional<PodRef> pod = text(end.get("pod"), field + ".pod").flatMap(p -> pod(p, field + ".pod"));
        if (end.get("pod") == null) {
            errors.add(field + ".pod: is required");
        }
        String ifname = text(end.get("ifname"), field + ".ifname").orElse(null);
        String problem = Names.ifnameProblem(ifname);
        if (ifname == null) {
            errors.add(field + ".ifname: is required");
        } else if (problem != null) {
            errors.add(field + ".ifname: '" + ifname + "' " + problem);
        }
        var addresses = new ArrayList<IfAddress>();
        for (String key : List.of("ipv4", "ipv6", "addresses")) {
            addresses.addAll(addresses(end.get(key), field + "." + key, key));
        }
        Optional<String> mac = text(end.get("mac"), field + ".mac").map(m -> m.toLowerCase(java.util.Locale.ROOT));
        mac.ifPresent(m -> checkMac(m, field + ".mac"));
        if (errors.size() > before || pod.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Endpoint(pod.get(), ifname, addresses, mac));
    }

    /** A misspelt key would silently drop what it meant to say (an address, an MTU): refuse it. */
    private void unknownFields(ObjectNode node, String field, java.util.Set<String> known) {
        if (!refuseUnknownFields) {
            return;
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                errors.add(field + "." + name + ": unknown field (expected one of " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        });
    }

    private Optional<PodRef> pod(String text, String field) {
        try {
            return Optional.of(PodRef.parse(text, defaultNamespace));
        } catch (IllegalArgumentException e) {
            errors.add(field + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private List<IfAddress> addresses(JsonNode node, String field, String family) {
        var result = new ArrayList<IfAddress>();
        if (node == null || node.isNull()) {
            return result;
        }
        var items = node.isArray() ? node : List.of(node);
        int i = 0;
        for (JsonNode item : items) {
            String itemField = node.isArray() ? field + "[" + i++ + "]" : field;
            if (!item.isTextual()) {
                errors.add(itemField + ": must be an address like 192.0.2.1/30");
                continue;
            }
            try {
                var address = IfAddress.parse(item.asText());
                if (family.equals("ipv4") && address.isV6() || family.equals("ipv6") && !address.isV6()) {
                    errors.add(itemField + ": '" + item.asText() + "' is not an " + (family.equals("ipv4") ? "IPv4" : "IPv6") + " address");
                } else {
                    result.add(address);
                }
            } catch (IllegalArgumentException e) {
                errors.add(itemField + ": " + e.getMessage());
            }
        }
        return result;
    }

    private void checkMac(String mac, String field) {
        if (!MAC.matcher(mac).matches()) {
            errors.add(field + ": '" + mac + "' is not a MAC address like 02:00:00:00:00:01");
        } else if ((Integer.parseInt(mac.substring(0, 2), 16) & 1) == 1) {
            errors.add(field + ": '" + mac + "' is a multicast address; an interface needs a unicast MAC");
        } else if (mac.equals("00:00:00:00:00:00")) {
            errors.add(field + ": the all-zero MAC cannot be set on an interface");
        }
    }

    private OptionalInt mtu(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return OptionalInt.empty();
        }
        if (!node.canConvertToInt() || node.asInt() < MIN_MTU || node.asInt() > MAX_MTU) {
            errors.add(field + ": must be a number from " + MIN_MTU + " to " + MAX_MTU + ", not " + node);
            return OptionalInt.empty();
        }
        return OptionalInt.of(node.asInt());
    }

    private Map<String, String> labels(JsonNode node, String field) {
        var labels = new LinkedHashMap<String, String>();
        if (node == null || node.isNull()) {
            return labels;
        }
        if (!node.isObject()) {
            errors.add(field + ": must be a mapping of names to strings");
            return labels;
        }
        node.properties().forEach(e -> {
            if (e.getValue().isValueNode()) {
                labels.put(e.getKey(), e.getValue().asText());
            } else {
                errors.add(field + "." + e.getKey() + ": must be a string");
            }
        });
        return labels;
    }

    private Optional<String> text(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isValueNode() || node.isBoolean()) {
            errors.add(field + ": must be a string");
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }
}
