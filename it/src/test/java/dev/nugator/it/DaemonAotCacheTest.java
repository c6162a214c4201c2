package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.Dist;
import dev.nugator.testkit.Proc;
import dev.nugator.testkit.RootIntegrationTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * nugatord starts from the AOT cache that {@code make build} trains on a bring-up
 * (scripts/train-nugatord.sh): its classes linked from the cache, nothing warned about it. A JVM
 * other than the one that wrote the cache (NUGATOR_JAVA, as in the image) starts without it.
 */
@RootIntegrationTest
class DaemonAotCacheTest {
    private static final Path CACHE = Dist.home().resolve("lib/nugatord.aot");

    @Test
    void nugatordStartsFromTheCacheItsBuildTrained() {
        assertThat(CACHE).as("nugatord's AOT cache (make build trains it when etcd is installed, as make test does)").isNotEmptyFile();

        var run = Proc.of(Dist.nugatord().toString(), "--version").env("NUGATORD_JAVA_OPTS", "-Xlog:aot=info:stderr").run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stderr()).as(run.describe())
                .contains("Opened AOT cache " + CACHE)
                .contains("Using AOT-linked classes: true")
                .doesNotContainIgnoringCase("warning")
                .doesNotContainIgnoringCase("error");
    }

    @Test
    void anotherJvmStartsWithoutIt() {
        String java = ProcessHandle.current().info().command().orElseThrow();

        var run = Proc.of(Dist.nugatord().toString(), "--version").env("NUGATOR_JAVA", java)
                .env("NUGATORD_JAVA_OPTS", "-Xlog:aot=info:stderr").run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdout()).as(run.describe()).isNotBlank();
        assertThat(run.stderr()).as(run.describe()).doesNotContain("Opened AOT cache " + CACHE).doesNotContainIgnoringCase("warning");
    }
}
