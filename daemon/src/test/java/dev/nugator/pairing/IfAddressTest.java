package dev.nugator.pairing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IfAddressTest {

    @ParameterizedTest
    @CsvSource({
        "192.168.2.100, 192.168.2.100/24",
        "10.0.0.1/31, 10.0.0.1/31",
        "2001:db8::1, 2001:db8::1/64",
        "2001:DB8:0:0:1:0:0:1/126, 2001:db8::1:0:0:1/126",
        "fe80::1/64, fe80::1/64",
        "::1/128, ::1/128",
        "2001:db8:1:2:3:4:5:6/64, 2001:db8:1:2:3:4:5:6/64",
    })
    void parsesAndPrintsCanonically(String input, String printed) {
        assertThat(IfAddress.parse(input)).hasToString(printed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "192.0.2.1/33", "192.0.2.1/x", "300.0.0.1", "1.2.3", "2001:db8::1/129", ""})
    void refusesWhatIsNotAnAddressWithoutResolvingNames(String input) {
        assertThatThrownBy(() -> IfAddress.parse(input)).isInstanceOf(IllegalArgumentException.class);
    }
}
