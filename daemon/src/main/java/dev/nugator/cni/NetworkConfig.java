package dev.nugator.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A validated network config of type {@code nugator}. The raw tree is kept whole, unknown fields
 * included; the typed fields are what nugatord acts on. Every problem names its field.
 */
public record NetworkConfig(ObjectNode raw, String name, CniVersion version, Optional<String> socket,
                            List<DelegateConfig> delegates, Optional<ObjectNode> prevResult,
                            Optional<ObjectNode> runtimeConfig) {
    public static final String TYPE = "nugator";

    /** One entry of {@code delegates}, with where it sits, for messages. */
    public record DelegateConfig(int index, ObjectNode raw, String type, Optional<CniVersion> version,
                                 boolean master) {
        public String field() {
            return "delegates[" + index + "]";
        }
    }

    public static NetworkConfig parse(byte[] stdin) {
        var raw = Json.parseObject(stdin, "the network config on stdin");
        String type = requiredString(raw, "type", "type");
        if (!TYPE.equals(type)) {
            throw CniError.invalidConfig("type", "is '" + type + "'; nugatord serves configs of type '" + TYPE + "'");
        }
        String name = requiredString(raw, "name", "name");
        if (!Names.isIdentifier(name)) {
            throw CniError.invalidConfig("name", "'" + name + "' must match ^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");
        }
        var version = optionalString(raw, "cniVersion", "cniVersion")
                .map(v -> CniVersion.parse(v, "cniVersion")).orElse(CniVersion.IMPLIED);
        var socket = optionalString(raw, "socket", "socket");
        var delegates = delegates(raw);
        var prevResult = optionalObject(raw, "prevResult", "prevResult");
        var runtimeConfig = optionalObject(raw, "runtimeConfig", "runtimeConfig");
        return new NetworkConfig(raw, name, version, socket, delegates, prevResult, runtimeConfig);
    }

    private static List<DelegateConfig> delegates(ObjectNode raw) {
        JsonNode node = raw.get("delegates");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw CniError.invalidConfig("delegates", "must be an array of plugin configs");
        }
        var result = new ArrayList<DelegateConfig>();
        int masters = 0;
        for (int i = 0; i < node.size(); i++) {
            String field = "delegates[" + i + "]";
            if (!(node.get(i) instanceof ObjectNode delegate)) {
                throw CniError.invalidConfig(field, "must be an object (a plugin config)");
            }
            String type = requiredString(delegate, "type", field + ".type");
            if (!Names.isIdentifier(type)) {
                throw CniError.invalidConfig(field + ".type", "'" + type + "' is not a plugin name");
            }
            var version = optionalString(delegate, "cniVersion", field + ".cniVersion")
                    .map(v -> CniVersion.parse(v, field + ".cniVersion"));
            optionalString(delegate, "name", field + ".name");
            optionalObject(delegate, "capabilities", field + ".capabilities");
            boolean master = optionalBoolean(delegate, "masterplugin", field + ".masterplugin");
            if (master && ++masters > 1) {
                throw CniError.invalidConfig(field + ".masterplugin", "is true, but only one delegate may be the master plugin");
            }
            result.add(new DelegateConfig(i, delegate, type, version, master));
        }
        return List.copyOf(result);
    }

    private static String requiredString(ObjectNode node, String key, String field) {
        return optionalString(node, key, field)
                .orElseThrow(() -> CniError.invalidConfig(field, "is required (a string)"));
    }

    private static Optional<String> optionalString(ObjectNode node, String key, String field) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw CniError.invalidConfig(field, "must be a string, not " + describe(value));
        }
        return Optional.of(value.asText());
    }

    private static Optional<ObjectNode> optionalObject(ObjectNode node, String key, String field) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!(value instanceof ObjectNode object)) {
            throw CniError.invalidConfig(field, "must be an object, not " + describe(value));
        }
        return Optional.of(object);
    }

    private static boolean optionalBoolean(ObjectNode node, String key, String field) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw CniError.invalidConfig(field, "must be true or false, not " + describe(value));
        }
        return value.asBoolean();
    }

    private static String describe(JsonNode value) {
        return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + value;
    }
}
