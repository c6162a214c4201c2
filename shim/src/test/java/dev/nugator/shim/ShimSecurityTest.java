package dev.nugator.shim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shim's security properties (src/main/config/shim.security, the java.security of the shim
 * bundle's runtime; here given with {@code -Djava.security.properties==}, which replaces the JDK's)
 * in a JVM with java.base only, like that runtime: the first UNIX socket is opened without the
 * JDK's SUN provider being built, and the SecureRandom it asked for is ours and gives bytes.
 */
class ShimSecurityTest {
    private static final Path SHIM_SECURITY = Path.of("src/main/config/shim.security").toAbsolutePath();

    private static List<String> probe(String... jvmOptions) throws IOException, InterruptedException {
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("--limit-modules", "java.base", "-Xlog:class+load=info:stdout:tags"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), UnixSocketProbe.class.getName()));
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] out = process.getInputStream().readAllBytes();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the probe JVM ends").isTrue();
            assertThat(process.exitValue()).as("the probe's exit code; its output:\n%s", new String(out, StandardCharsets.UTF_8)).isZero();
            return new String(out, StandardCharsets.UTF_8).lines().toList();
        } finally {
            process.destroyForcibly();
        }
    }

    private static boolean loaded(List<String> log, String className) {
        return log.stream().anyMatch(line -> line.startsWith("[class,load] " + className + " "));
    }

    @Test
    void theFirstUnixSocketIsOpenedWithoutBuildingTheSunProvider() throws Exception {
        var log = probe("-Djava.security.properties==" + SHIM_SECURITY);
        assertThat(log).contains("opened true", "provider " + UrandomProvider.NAME);
        assertThat(loaded(log, UrandomProvider.class.getName())).as("our provider is loaded").isTrue();
        assertThat(loaded(log, "sun.security.provider.Sun")).as("the SUN provider is not loaded").isFalse();
        String bytes = log.stream().filter(line -> line.startsWith("bytes ")).findFirst().orElseThrow();
        assertThat(bytes).hasSize("bytes ".length() + 64).isNotEqualTo("bytes " + "0".repeat(64));
    }

    @Test
    void withoutTheShimsPropertiesTheJdkBuildsTheSunProvider() throws Exception {
        // The control: the probe sees what the JDK does by default, so the test above can fail.
        var log = probe();
        assertThat(loaded(log, "sun.security.provider.Sun")).isTrue();
        assertThat(log).contains("opened true").doesNotContain("provider " + UrandomProvider.NAME);
    }
}
