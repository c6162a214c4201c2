package dev.nugator.pairing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.Json;
import dev.nugator.store.KeyValue;
import java.io.IOException;
import java.util.function.Function;

/**
 * Reading the fields of stored records. Unknown fields are ignored (a newer nugatord may add some
 * during a rolling upgrade); a missing or malformed required field is an IllegalArgumentException
 * that names it, which {@link UnreadableRecords} turns into a skipped record.
 */
final class StoredJson {
    private StoredJson() {}

    static ObjectNode object(KeyValue kv) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(kv.value());
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + firstLine(e.getMessage()));
        }
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return object;
    }

    /** A required, non-empty string field. */
    static String text(ObjectNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(field + ": is required");
        }
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException(field + ": must be a non-empty string, not " + value);
        }
        return value.asText();
    }

    /** A required string field turned into a value; the parser's complaint is prefixed with the field. */
    static <T> T parsed(ObjectNode json, String field, Function<String, T> parser) {
        String text = text(json, field);
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
        }
    }

    /** A required whole number from {@code min} to {@code max}. */
    static int number(ObjectNode json, String field, int min, int max) {
        JsonNode value = json.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException(field + ": must be a whole number, not " + value);
        }
        return inRange(value.asInt(), field, min, max);
    }

    /** A record that is one decimal number (the VNI keys). */
    static int decimal(KeyValue kv, int min, int max) {
        String text = kv.text().trim();
        try {
            return inRange(Integer.parseInt(text), "value", min, max);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("value: '" + text + "' is not a decimal number");
        }
    }

    private static int inRange(int value, String field, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + ": " + value + " is not between " + min + " and " + max);
        }
        return value;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
