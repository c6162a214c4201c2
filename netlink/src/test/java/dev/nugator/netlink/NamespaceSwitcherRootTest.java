package dev.nugator.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@RootOnly
class NamespaceSwitcherRootTest {
    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @Test
    void runsInTheTargetAndLeavesTheCallerWhereItWas() throws IOException {
        var a = namespaces.create();
        String before = threadNetns();

        String inside = NamespaceSwitcher.shared().call(a.namespace(), NamespaceSwitcherRootTest::threadNetns);

        assertThat(inside).isEqualTo("net:[" + a.namespace().inode() + "]");
        assertThat(threadNetns()).isEqualTo(before);
    }

    @Test
    void itsThreadsGoHomeAfterEveryTask() {
        var a = namespaces.create();
        String home = "net:[" + NetNamespace.current().inode() + "]";
        try (NetNamespace current = NetNamespace.current()) {
            for (int i = 0; i < 20; i++) {
                NamespaceSwitcher.shared().call(a.namespace(), () -> null);
                assertThat(NamespaceSwitcher.shared().call(current, NamespaceSwitcherRootTest::threadNetns))
                        .isEqualTo(home);
            }
        }
    }

    @Test
    void aNewNamespaceIsTheTasksAloneAndTheThreadGoesHomeAfter() throws IOException {
        String home = threadNetns();

        List<String> inside = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            inside.add(NamespaceSwitcher.shared().callInNewNamespace(NamespaceSwitcherRootTest::threadNetns));
        }

        assertThat(inside).doesNotContain(home).doesNotHaveDuplicates();
        try (NetNamespace current = NetNamespace.current()) {
            for (int i = 0; i < 8; i++) {
                assertThat(NamespaceSwitcher.shared().call(current, NamespaceSwitcherRootTest::threadNetns))
                        .isEqualTo(home);
            }
        }
        assertThatThrownBy(() -> NamespaceSwitcher.shared().callInNewNamespace(() -> {
            throw new NetlinkException("probe", 1, null);
        })).isInstanceOf(NetlinkException.class).hasMessageStartingWith("probe failed");
    }

    @Test
    void aSocketOpenedInsideStaysThere() {
        var a = namespaces.create();
        a.rtnl().createVeth(VethSpec.of("ntla", "ntlb"));

        try (RtNetlink rtnl = RtNetlink.openIn(a.namespace())) {
            assertThat(rtnl.link("ntla")).isPresent();
        }
        try (RtNetlink rtnl = RtNetlink.open()) {
            assertThat(rtnl.link("ntla")).isEmpty();
        }
    }

    @Test
    void refusesToSwitchOnAVirtualThreadOrAnyThreadNotItsOwn() throws Exception {
        var a = namespaces.create();
        int fd = a.namespace().fd();
        CompletableFuture<Object> result = new CompletableFuture<>();

        try (var virtualThreads = Executors.newVirtualThreadPerTaskExecutor()) {
            var refusal = virtualThreads.submit(() -> catching(
                    () -> NamespaceSwitcher.shared().runSwitched(fd, () -> null, result)));
            assertThat(refusal.get()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("virtual thread");
        }
        assertThatThrownBy(() -> NamespaceSwitcher.shared().runSwitched(fd, () -> null, result))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("only NamespaceSwitcher's own threads");
        assertThat(result).isNotDone();
    }

    @Test
    void aVirtualThreadCanAskAndItsCarrierIsNeverSwitched() throws Exception {
        var a = namespaces.create();
        String home = threadNetns();

        try (var virtualThreads = Executors.newVirtualThreadPerTaskExecutor()) {
            var inside = virtualThreads.submit(
                    () -> NamespaceSwitcher.shared().call(a.namespace(), NamespaceSwitcherRootTest::threadNetns));
            assertThat(inside.get()).isEqualTo("net:[" + a.namespace().inode() + "]");
            assertThat(virtualThreads.submit(NamespaceSwitcherRootTest::threadNetns).get()).isEqualTo(home);
        }
    }

    @Test
    void aThreadThatCannotGoHomeIsRetiredAndTheResultStillArrives() throws Exception {
        var a = namespaces.create();
        AtomicBoolean failHome = new AtomicBoolean();
        NamespaceSwitcher switcher = new NamespaceSwitcher(fd -> {
            if (failHome.get() && fd != a.namespace().fd()) {
                throw new NetlinkException("setns", 22, null);
            }
            Libc.setns(fd, Libc.CLONE_NEWNET);
        }, 1);
        try {
            switcher.call(a.namespace(), () -> null);
            failHome.set(true);
            Thread stranded = switcher.call(a.namespace(), Thread::currentThread);
            failHome.set(false);
            stranded.join(5_000);

            assertThat(stranded.isAlive()).isFalse();
            Thread fresh = switcher.call(a.namespace(), Thread::currentThread);
            assertThat(fresh).isNotSameAs(stranded);
        } finally {
            switcher.shutdown();
        }
    }

    @Test
    void theTasksOwnExceptionReachesTheCaller() {
        var a = namespaces.create();

        assertThatThrownBy(() -> NamespaceSwitcher.shared().call(a.namespace(), () -> {
            throw new IOException("no such sysctl");
        })).isInstanceOf(UncheckedIOException.class).hasMessageContaining("no such sysctl");
        assertThatThrownBy(() -> NamespaceSwitcher.shared().call(a.namespace(), () -> {
            throw new NetlinkException("probe", 1, null);
        })).isInstanceOf(NetlinkException.class).hasMessageStartingWith("probe failed: EPERM");
    }

    static String threadNetns() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
    }

    private static Throwable catching(Runnable action) {
        try {
            action.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
