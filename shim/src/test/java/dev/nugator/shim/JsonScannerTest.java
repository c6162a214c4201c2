package dev.nugator.shim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The scanner against what nugatord's Jackson (FAIL_ON_TRAILING_TOKENS) decides for the same bytes:
 * each case here was checked against Jackson 2.20. Accepting less would turn configs nugatord takes
 * into errors; accepting more would let the shim send what nugatord refuses, with the daemon maybe down.
 */
class JsonScannerTest {

    private static String problem(byte[] bytes) {
        return JsonScanner.scan(bytes, new HashMap<>());
    }

    private static String problem(String json) {
        return problem(json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{}", " {} ", "\t{\r\n}\n", "{\"a\":[]}", "{\"a\":[1,2.5,-0,0.0,1e5,1E+5,2e-3,-12.75E10]}",
        "{\"a\":{\"b\":{\"c\":[[],{}]}}}", "{\"a\":true,\"b\":false,\"c\":null}", "{\"\":\"\"}",
        "{\"a\":\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00 \\uDFFF\"}",
        "{\"é\":\"日本語 😀 \u007f\"}", "{\"a\":1,\"a\":2}", "\uFEFF{\"bom\":1}"})
    void acceptsWhatJacksonAccepts(String json) {
        assertThat(problem(json)).as(json).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "  ", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]", "{,}", "{\"a\" 1}", "{'a':1}", "{a:1}",
        "{\"a\":01}", "{\"a\":-01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":1e}", "{\"a\":1e+}", "{\"a\":-}",
        "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":tru}", "{\"a\":truex}", "{\"a\":nulll}", "{\"a\":\"\\x\"}",
        "{\"a\":\"\\u12G4\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"tab\there\"}", "{\"a\":\"nl\nhere\"}", "{}{}", "{} x",
        "{}}", "{\"a\":1}/*c*/", "{\"a\":1 // c\n}", "{\"a\":[1 2]}", "{\"a\":1}\u0000", "\u0000{}", "{\"a\":\"x\"",
        "{\"a\":[", "{\"a\":\"\\"})
    void refusesWhatJacksonRefuses(String json) {
        assertThat(problem(json)).as(json).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"a\":1}]", "\"text\"", "12", "null", "true"})
    void jsonThatIsNotAnObjectIsSaidToBeSo(String json) {
        assertThat(problem(json)).isEqualTo("it is JSON but not an object");
    }

    @Test
    void invalidUtf8InAStringIsRefusedAsJacksonDoes() {
        byte[] loneContinuation = {'{', '"', 'a', '"', ':', '"', (byte) 0x80, '"', '}'};
        byte[] cutSequence = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'};
        byte[] badLead = {'{', '"', 'a', '"', ':', '"', (byte) 0xF8, (byte) 0x80, '"', '}'};
        byte[] outsideAString = {'{', (byte) 0xC3, (byte) 0xA9, '}'};

        assertThat(problem(loneContinuation)).contains("UTF-8").contains("byte 0x80");
        assertThat(problem(cutSequence)).contains("UTF-8");
        assertThat(problem(badLead)).contains("UTF-8");
        assertThat(problem(outsideAString)).contains("byte 0xc3");
    }

    @Test
    void structurallyValidUtf8IsTakenAsJacksonTakesIt() {
        // overlong and surrogate encodings: Jackson checks lead and continuation bytes only
        byte[] overlong = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"', '}'};
        byte[] surrogate = {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};

        assertThat(problem(overlong)).isNull();
        assertThat(problem(surrogate)).isNull();
    }

    @Test
    void nestingIsTakenUpToJacksonsLimitAndNoDeeper() {
        assertThat(problem(nested(JsonScanner.MAX_DEPTH))).isNull();
        assertThat(problem(nested(JsonScanner.MAX_DEPTH + 1))).contains("nested deeper than 1000 levels");
        assertThat(problem(nested(200_000))).contains("nested deeper");
    }

    /** An object holding arrays to {@code depth} levels in all. */
    private static String nested(int depth) {
        return "{\"a\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}";
    }

    @Test
    void errorsSayWhatCameWhereAndWhatWasExpected() {
        assertThat(problem("{\"a\":1,}")).isEqualTo("unexpected '}' at line 1, column 8; expected a member name in double quotes");
        assertThat(problem("{\n  \"a\": [1,\n  2")).isEqualTo("it ends early, at line 3, column 4; expected ',' or ']'");
        assertThat(problem("")).isEqualTo("it is empty; expected a JSON object");
        assertThat(problem("{} x")).isEqualTo("unexpected 'x' at line 1, column 4; expected the end after the top-level value");
        assertThat(problem("{\"a\":\"x\ty\"}")).isEqualTo(
                "unexpected byte 0x09 at line 1, column 8; expected a character: control characters in strings must be escaped");
    }
}
