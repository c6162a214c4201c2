package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.Dist;
import dev.nugator.testkit.FileTrees;
import dev.nugator.testkit.Proc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shim bundle's Java runtime as {@code make build} lays it out, which dist/bin/nugator and an
 * installed shim both run: java.base only, the shim's own java.security in it, so that the JDK's
 * first UNIX socket gets its SecureRandom from UrandomProvider and the SUN provider is never
 * built; and one jar holding the shim and the wire format.
 */
class ShimRuntimeTest {
    private static final Path BUNDLE = Dist.home().resolve("shim-bundle");
    private Path dir;

    @BeforeEach
    void makeDir() throws IOException {
        dir = Files.createTempDirectory("ntshimrt-");
    }

    @AfterEach
    void removeDir() throws IOException {
        FileTrees.delete(dir);
    }

    @Test
    void theRuntimeHasJavaBaseAloneAndTheShimsSecurityProperties() throws IOException {
        assertThat(Files.readString(BUNDLE.resolve("runtime/release"))).contains("MODULES=\"java.base\"");
        assertThat(BUNDLE.resolve("runtime/conf/security/java.security"))
                .hasSameTextualContentAs(Path.of("../shim/src/main/config/shim.security"));
        assertThat(BUNDLE.resolve("lib")).isDirectoryContaining("glob:**/nugator-shim.jar")
                .isDirectoryNotContaining("glob:**/nugator-wire.jar");
    }

    @Test
    void aCallOpensItsUnixSocketWithoutBuildingTheSunProvider() {
        // STATUS to a socket nobody listens on: the shim opens its UNIX socket, then answers 50 itself.
        String config = "{\"cniVersion\":\"1.1.0\",\"name\":\"rt\",\"type\":\"nugator\",\"socket\":\"" + dir.resolve("none.sock") + "\"}";
        var run = Proc.of(List.of(BUNDLE.resolve("runtime/bin/java").toString(), "-Xlog:class+load=info:stderr:tags",
                        "-XX:AOTCache=" + BUNDLE.resolve("lib/nugator-shim.aot"), "-cp", BUNDLE.resolve("lib/nugator-shim.jar").toString(),
                        "dev.nugator.shim.Main"))
                .env("CNI_COMMAND", "STATUS").env("CNI_PATH", dir.toString()).stdin(config).run();

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(1);
        assertThat(run.stdout()).as(run.describe()).contains("\"code\":50").contains("cannot reach nugatord");
        assertThat(run.stderr()).as(run.describe())
                .contains("[class,load] sun.nio.ch.UnixDomainSockets ")
                .contains("[class,load] dev.nugator.shim.UrandomProvider ")
                .doesNotContain("[class,load] sun.security.provider.Sun ");
    }
}
