package dev.nugator.shim;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;

/**
 * The shim's scan of stdin, whatever the runtime puts there: it never throws, it says whether the
 * bytes are one JSON object, and an object without its closing brace is not one. On a well-formed
 * object, however its strings are escaped, whatever nested objects hold keys of the same name and
 * however often a key repeats, it finds the top-level string values as nugatord's parser does: the
 * last one wins, and a key whose last value is not a string has none.
 */
class TopLevelKeysFuzzTest {
    private static final String[] KEYS = {"socket", "cniVersion", "name", "type", "delegates"};

    @FuzzTest
    void anyStdinIsScannedWithoutThrowing(byte[] stdin) {
        var keys = TopLevelKeys.of(stdin);
        for (String key : KEYS) {
            assertThat(keys.get(key)).isNotNull();
        }
        if (keys.problem().isEmpty()) {
            int close = lastIndexOf(stdin, (byte) '}');
            assertThat(close).as("an object ends with '}'").isNotNegative();
            assertThat(TopLevelKeys.of(Arrays.copyOf(stdin, close)).problem()).as("cut before its '}'").isPresent();
        }
    }

    @FuzzTest
    void aWrittenObjectReadsBack(FuzzedDataProvider data) {
        var expected = new HashMap<String, String>();
        var json = new StringBuilder("{");
        int members = data.consumeInt(0, 8);
        for (int i = 0; i < members; i++) {
            var key = JsonString.of(data.pickValue(KEYS) + (data.consumeBoolean() ? "" : data.consumeString(6)));
            json.append(i > 0 ? "," : "").append(space(data)).append(key.json()).append(space(data)).append(':');
            if (data.consumeBoolean()) {
                var value = JsonString.of(data.consumeString(60));
                expected.put(key.value(), value.value());
                json.append(space(data)).append(value.json());
            } else {
                expected.remove(key.value());
                json.append(space(data)).append(nonString(data, 0));
            }
        }
        json.append(space(data)).append('}');
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);

        var keys = TopLevelKeys.of(bytes);

        assertThat(keys.problem()).as("problem with %s", json).isEmpty();
        expected.forEach((key, value) -> assertThat(keys.get(key)).as("%s in %s", key, json).hasValue(value));
        for (String key : KEYS) {
            if (!expected.containsKey(key)) {
                assertThat(keys.get(key)).as("%s in %s", key, json).isEmpty();
            }
        }
        int cut = data.consumeInt(0, bytes.length - 1);
        assertThat(TopLevelKeys.of(Arrays.copyOf(bytes, cut)).problem()).as("%s cut at %d", json, cut).isPresent();
    }

    private static int lastIndexOf(byte[] bytes, byte b) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** A value that is not a string at the top level; nested ones hold decoy keys. */
    private static String nonString(FuzzedDataProvider data, int depth) {
        return switch (data.consumeInt(0, depth > 3 ? 2 : 4)) {
            case 0 -> Long.toString(data.consumeLong());
            case 1 -> data.pickValue(new String[] {"true", "false", "null", "-1.5e3"});
            case 2 -> data.pickValue(new String[] {"[]", "{}", "[ ]", "{ }"});
            case 3 -> "[" + JsonString.of(data.consumeString(20)).json() + "," + space(data) + nonString(data, depth + 1) + "]";
            default -> "{" + JsonString.of(data.pickValue(KEYS)).json() + ":" + JsonString.of(data.consumeString(20)).json()
                    + "," + JsonString.of(data.consumeString(8)).json() + ":" + space(data) + nonString(data, depth + 1) + "}";
        };
    }

    private static String space(FuzzedDataProvider data) {
        return data.pickValue(new String[] {"", " ", "\n  ", "\t", "\r\n"});
    }

    /**
     * A string as JSON text, using every escape form JSON has, and the value a reader of its UTF-8
     * bytes gets back: an unpaired surrogate written raw becomes '?', written as an escape itself.
     */
    private record JsonString(String json, String value) {
        static JsonString of(String s) {
            var json = new StringBuilder("\"");
            var value = new StringBuilder();
            var raw = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                String escape = escape(c, i);
                if (escape == null) {
                    raw.append(c);
                    continue;
                }
                value.append(utf8(raw)).append(c);
                json.append(raw).append(escape);
                raw.setLength(0);
            }
            value.append(utf8(raw));
            json.append(raw).append('"');
            return new JsonString(json.toString(), value.toString());
        }

        private static String escape(char c, int i) {
            return switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '/' -> i % 2 == 0 ? "\\/" : null;
                case '\n' -> "\\n";
                case '\t' -> "\\t";
                case '\r' -> "\\r";
                case '\b' -> "\\b";
                case '\f' -> "\\f";
                default -> c < 0x20 || c > 0x7e && i % 3 == 0 ? "\\u%04x".formatted((int) c) : null;
            };
        }

        private static String utf8(CharSequence raw) {
            return new String(raw.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        }
    }
}
