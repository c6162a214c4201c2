package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nugator.testkit.Ipv4;
import dev.nugator.testkit.Json;
import dev.nugator.testkit.Names;
import dev.nugator.testkit.Proc;
import dev.nugator.testkit.ProcTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The kit's own arithmetic and parsing, without root: a wrong helper would make every IT lie. */
class TestkitTest {

    @Test
    void ipv4SubnetsAndRanges() {
        assertThat(Ipv4.inSubnet("10.22.255.254/16", "10.22.0.0/16")).isTrue();
        assertThat(Ipv4.inSubnet("10.23.0.1", "10.22.0.0/16")).isFalse();
        assertThat(Ipv4.inRange("192.168.122.216", "192.168.122.200", "192.168.122.216")).isTrue();
        assertThat(Ipv4.inRange("192.168.122.217", "192.168.122.200", "192.168.122.216")).isFalse();
        assertThat(Ipv4.isIpv4("last_reserved_ip.0")).isFalse();
    }

    @Test
    void generatedNamesAreValidInterfaceNames() {
        assertThat(Names.ifname("ntbr")).hasSizeLessThanOrEqualTo(15).startsWith("ntbr");
        assertThat(Names.containerId()).matches("[0-9a-f]{64}");
        assertThatThrownBy(() -> Names.unique("pod")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jsonWithTrailingNoiseIsNotJson() {
        assertThat(Json.tryParse("{\"a\":1}\nINFO something")).isEmpty();
        assertThat(Json.tryParse("{\"a\":1}\n")).isPresent();
    }

    @Test
    void processesPastTheirDeadlineAreKilled() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> Proc.of("sleep", "30").deadline(Duration.ofMillis(300)).run())
                .isInstanceOf(ProcTimeoutException.class).hasMessageContaining("sleep 30");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void processOutputAndStdinRoundTrip() {
        var result = Proc.of("sh", "-c", "cat; echo err >&2; exit 3").stdin("hello").run();
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("hello");
        assertThat(result.stderr()).isEqualTo("err\n");
    }
}
