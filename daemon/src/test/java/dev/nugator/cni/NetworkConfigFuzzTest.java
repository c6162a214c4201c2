package dev.nugator.cni;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Set;

/**
 * Any bytes on stdin give a validated config or a CNI error with the spec's code (undecodable,
 * invalid, unsupported version), never another exception; a config that parses, written out and
 * parsed again, is the same config.
 */
class NetworkConfigFuzzTest {
    private static final Set<Integer> CONFIG_CODES =
            Set.of(CniError.DECODING_FAILURE, CniError.INVALID_CONFIG, CniError.INCOMPATIBLE_VERSION);

    @FuzzTest
    void anyStdinParsesOrIsACniError(byte[] stdin) {
        NetworkConfig config;
        try {
            config = NetworkConfig.parse(stdin);
        } catch (CniError refused) {
            assertThat(refused.code()).isIn(CONFIG_CODES);
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(config.name()).matches(Names::isIdentifier);
        assertThat(config.delegates()).allSatisfy(d -> assertThat(d.type()).matches(Names::isIdentifier));
        assertThat(config.delegates().stream().filter(NetworkConfig.DelegateConfig::master)).hasSizeLessThan(2);
        assertThat(NetworkConfig.parse(Json.bytes(config.raw()))).isEqualTo(config);
    }
}
