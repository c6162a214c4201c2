package dev.nugator.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetworkConfigTest {

    static NetworkConfig parse(String json) {
        return NetworkConfig.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void seedConfigParsesWithImpliedVersion() throws IOException {
        byte[] seed = Files.readAllBytes(Path.of("../fixtures/seed/nugator-demo.conf"));
        var config = NetworkConfig.parse(seed);
        assertThat(config.name()).isEqualTo("nugator-demo");
        assertThat(config.version()).isEqualTo(CniVersion.V0_2_0);
        assertThat(config.delegates()).extracting(NetworkConfig.DelegateConfig::type).containsExactly("macvlan", "bridge");
        assertThat(config.delegates().get(1).version()).hasValue(CniVersion.V0_2_0);
        assertThat(config.delegates().get(0).version()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\":\"nugator\"}                                             | 7 | name",
        "{\"type\":\"nugator\",\"name\":5}                                  | 7 | name must be a string",
        "{\"type\":\"bridge\",\"name\":\"n\"}                               | 7 | type",
        "{\"type\":\"nugator\",\"name\":\"n\",\"cniVersion\":\"9.9.9\"}     | 1 | cniVersion",
        "{\"type\":\"nugator\",\"name\":\"n\",\"cniVersion\":1}             | 7 | cniVersion must be a string",
        "{\"type\":\"nugator\",\"name\":\"n\",\"delegates\":{}}             | 7 | delegates must be an array",
        "{\"type\":\"nugator\",\"name\":\"n\",\"delegates\":[1]}            | 7 | delegates[0] must be an object",
        "{\"type\":\"nugator\",\"name\":\"n\",\"delegates\":[{}]}           | 7 | delegates[0].type",
        "{\"type\":\"nugator\",\"name\":\"n\",\"delegates\":[{\"type\":\"../x\"}]} | 7 | delegates[0].type",
        "{\"type\":\"nugator\",\"name\":\"n\",\"delegates\":[{\"type\":\"a\",\"cniVersion\":\"0.9\"}]} | 1 | delegates[0].cniVersion",
        "{\"type\":\"nugator\",\"name\":\"n\",\"delegates\":[{\"type\":\"a\",\"masterplugin\":\"yes\"}]} | 7 | delegates[0].masterplugin",
        "{\"type\":\"nugator\",\"name\":\"n\",\"delegates\":[{\"type\":\"a\",\"masterplugin\":true},{\"type\":\"b\",\"masterplugin\":true}]} | 7 | delegates[1].masterplugin",
        "{\"type\":\"nugator\",\"name\":\"n\",\"prevResult\":[]}            | 7 | prevResult",
        "{\"type\":\"nugator\",\"name\":\"n\",\"socket\":true}              | 7 | socket",
        "[1,2]                                                              | 6 | not an object",
        "{\"type\":                                                         | 6 | cannot decode",
    })
    void badConfigsNameTheirField(String json, int code, String mentions) {
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(CniError.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(mentions);
        });
    }

    @Test
    void unknownFieldsAreKept() {
        var config = parse("{\"type\":\"nugator\",\"name\":\"n\",\"cniVersion\":\"1.0.0\",\"vendorThing\":{\"a\":1}}");
        assertThat(config.raw().at("/vendorThing/a").asInt()).isEqualTo(1);
    }
}
