package dev.nugator.shim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VersionAnswerTest {

    private static String cniVersionOf(String stdin) {
        return VersionAnswer.cniVersionOf(stdin.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theAnswerCarriesTheCniVersionGivenOnInputAsTheSpecSays() {
        assertThat(cniVersionOf("{\"cniVersion\":\"0.4.0\"}")).isEqualTo("0.4.0");
        assertThat(new String(VersionAnswer.json("0.4.0"), StandardCharsets.UTF_8))
                .startsWith("{\"cniVersion\":\"0.4.0\",\"supportedVersions\":[\"0.1.0\",");
    }

    @Test
    void aStdinWithoutAReadableCniVersionIsNoErrorAndGetsOurLatest() {
        assertThat(cniVersionOf("")).isEqualTo("1.1.0");
        assertThat(cniVersionOf("not json at all")).isEqualTo("1.1.0");
        assertThat(cniVersionOf("{\"cniVersion\":\"0.3.1\", oops")).isEqualTo("1.1.0");
        assertThat(cniVersionOf("{\"name\":\"n\"}")).isEqualTo("1.1.0");
        assertThat(cniVersionOf("{\"cniVersion\":1}")).isEqualTo("1.1.0");
    }

    @Test
    void aGivenVersionIsEscapedInTheAnswer() {
        assertThat(new String(VersionAnswer.json("1\"2"), StandardCharsets.UTF_8)).startsWith("{\"cniVersion\":\"1\\\"2\"");
    }
}
