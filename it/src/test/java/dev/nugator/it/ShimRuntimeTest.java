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
 * installed shim both run: java.base and the shim's own module (the shim and the wire format) in
 * its image, no jar beside it, and the shim's own java.security, so that the JDK's first UNIX
 * socket gets its SecureRandom from UrandomProvider, found among the modules' services, and
 * neither the SUN provider is built nor a class path scanned.
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
    void theRuntimeHasJavaBaseAndTheShimsModuleAloneAndTheShimsSecurityProperties() throws IOException {
        assertThat(Files.readString(BUNDLE.resolve("runtime/release"))).contains("MODULES=\"java.base dev.nugator.shim\"");
        assertThat(BUNDLE.resolve("runtime/conf/security/java.security"))
                .hasSameTextualContentAs(Path.of("../shim/src/main/config/shim.security"));
        assertThat(BUNDLE.resolve("lib")).isDirectoryContaining("glob:**/nugator-shim.aot")
                .isDirectoryNotContaining("glob:**.jar");
        assertThat(Files.readString(BUNDLE.resolve("bin/nugator"))).contains(" -m dev.nugator.shim/dev.nugator.shim.Main").doesNotContain(" -cp ");
    }

    @Test
    void aCallOpensItsUnixSocketWithoutBuildingTheSunProviderOrScanningAClassPath() {
        // STATUS to a socket nobody listens on: the shim opens its UNIX socket, then answers 50 itself.
        String config = "{\"cniVersion\":\"1.1.0\",\"name\":\"rt\",\"type\":\"nugator\",\"socket\":\"" + dir.resolve("none.sock") + "\"}";
        var run = Proc.of(List.of(BUNDLE.resolve("runtime/bin/java").toString(), "-Xlog:class+init=info:stderr:tags",
                        "-XX:AOTCache=" + BUNDLE.resolve("lib/nugator-shim.aot"), "-m", "dev.nugator.shim/dev.nugator.shim.Main"))
                .env("CNI_COMMAND", "STATUS").env("CNI_PATH", dir.toString()).stdin(config).run();

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(1);
        assertThat(run.stdout()).as(run.describe()).contains("\"code\":50").contains("cannot reach nugatord");
        assertThat(run.stderr()).as(run.describe())
                .contains("Initializing 'sun/nio/ch/UnixDomainSockets'")
                .contains("Initializing 'dev/nugator/shim/UrandomProvider$Urandom'")
                .doesNotContain("Initializing 'sun/security/provider/Sun'")
                // no jar opened, no resource looked up in the image: the provider came from the module's services
                .doesNotContain("Initializing 'java/util/zip/ZipFile'")
                .doesNotContain("Initializing 'jdk/internal/jimage/ImageReader'")
                // the JDK's selector provider was named, not searched for before its default was taken
                .contains("Initializing 'sun/nio/ch/EPollSelectorProvider'")
                .doesNotContain("Initializing 'sun/nio/ch/DefaultSelectorProvider'");
    }
}
