package dev.nugator.shim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TopLevelKeysTest {

    private static TopLevelKeys of(String json) {
        return TopLevelKeys.of(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void findsTopLevelStringsOnly() {
        var keys = of("""
                {"name":"n","delegates":[{"cniVersion":"0.2.0","socket":"/wrong"}],
                 "ipam":{"socket":"/also-wrong"},"cniVersion":"1.0.0","socket":"/run/x.sock"}""");
        assertThat(keys.problem()).isEmpty();
        assertThat(keys.get("cniVersion")).hasValue("1.0.0");
        assertThat(keys.get("socket")).hasValue("/run/x.sock");
    }

    @Test
    void delegateVersionDoesNotLeakWhenTopLevelHasNone() {
        assertThat(of("{\"delegates\":[{\"cniVersion\":\"0.2.0\"}]}").get("cniVersion")).isEmpty();
    }

    @Test
    void unescapesValues() {
        assertThat(of("{\"socket\":\"/tmp/a\\\"b\\u0041\\u00e9\\/\"}").get("socket")).hasValue("/tmp/a\"bAé/");
        assertThat(of("{\"socket\":\"/tmp/é\\n😀\"}").get("socket")).hasValue("/tmp/é\n😀");
    }

    @Test
    void valuesThatAreNotStringsAreIgnored() {
        assertThat(of("{\"socket\": 12, \"cniVersion\": \"1.1.0\"}").get("socket")).isEmpty();
    }

    @Test
    void aKeyGivenTwiceHasItsLastValueAsInNugatordsParser() {
        assertThat(of("{\"socket\":\"/a\",\"socket\":\"/b\"}").get("socket")).hasValue("/b");
        assertThat(of("{\"socket\":\"/a\",\"socket\":{\"x\":\"/b\"}}").get("socket")).isEmpty();
    }

    @Test
    void keysBeforeASyntaxErrorAreKnownAndTheErrorSaysWhere() {
        var keys = of("{\"cniVersion\":\"0.4.0\",\n \"name\": \"x\" \"socket\": \"/run/late.sock\"}");

        assertThat(keys.get("cniVersion")).hasValue("0.4.0");
        assertThat(keys.get("socket")).isEmpty();
        assertThat(keys.problem()).hasValueSatisfying(p -> assertThat(p)
                .isEqualTo("unexpected '\"' at line 2, column 14; expected ',' or '}'"));
    }

    @Test
    void errorJsonEscapesControlCharacters() {
        assertThat(Answer.escape("a\"b\\c\nd\u0001")).isEqualTo("a\\\"b\\\\c\\nd\\u0001");
    }
}
