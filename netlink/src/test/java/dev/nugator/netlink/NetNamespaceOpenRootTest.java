package dev.nugator.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A namespace path comes from outside (CNI_NETNS): opening it never blocks and never takes anything else for a network namespace. */
@RootOnly
class NetNamespaceOpenRootTest {
    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @TempDir
    Path dir;

    @Test
    void aFifoIsRefusedAtOnceInsteadOfWaitingForAWriter() throws Exception {
        Path fifo = dir.resolve("fifo");
        Ip.command("mkfifo", fifo.toString());

        var opened = CompletableFuture.supplyAsync(() -> {
            try {
                return NetNamespace.open(fifo);
            } catch (RuntimeException e) {
                return e;
            }
        });

        Object outcome = opened.get(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
        assertThat(outcome).isInstanceOfSatisfying(IllegalArgumentException.class,
                e -> assertThat(e.getMessage()).contains(fifo.toString(), "not a namespace file"));
    }

    @Test
    void aPlainFileIsNotANamespace() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "hello");

        assertThatThrownBy(() -> NetNamespace.open(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("not a namespace file");
    }

    @Test
    void aMountNamespaceIsNotANetworkNamespace() {
        assertThatThrownBy(() -> NetNamespace.open(Path.of("/proc/self/ns/mnt"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a network namespace");
    }

    @Test
    void theSameNamespaceByTwoPathsIsTheSame() {
        var a = namespaces.create();
        var b = namespaces.create();

        try (var byName = NetNamespace.open(Path.of("/run/netns", a.name()));
             var own = NetNamespace.open(Path.of("/proc/self/ns/net"));
             var current = NetNamespace.current()) {
            assertThat(byName.sameAs(a.namespace())).isTrue();
            assertThat(byName.sameAs(b.namespace())).isFalse();
            assertThat(own.sameAs(current)).as("the process's namespace, by two paths").isTrue();
        }
    }
}
