package dev.nugator.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Namespaces bound to files as {@code ip netns add/del} do, at a fresh /run/netns/ntlp... path per
 * test; whatever a test leaves there is removed after it, by {@code ip netns del} if need be.
 */
@RootOnly
class NetNamespaceBindRootTest {
    private final String name = "ntlp" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    private final Path path = Path.of("/run/netns", name);
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void removeEverything() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        if (Files.isDirectory(path)) {
            try (var children = Files.list(path)) {
                for (Path child : children.toList()) {
                    Files.delete(child);
                }
            }
            Files.delete(path);
        } else if (Files.exists(path)) {
            Ip.run("netns", "del", name);
        }
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(path.toString());
    }

    @Test
    void createdIsListedUsableAndRemovedLikeIpNetns() throws IOException {
        NetNamespace namespace = keep(NetNamespace.create(path));

        assertThat(Ip.run("netns", "list")).contains(name);
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).contains(path.toString());
        try (NetNamespace current = NetNamespace.current(); RtNetlink rtnl = RtNetlink.openIn(namespace)) {
            assertThat(namespace.inode()).isNotEqualTo(current.inode());
            rtnl.createVeth(VethSpec.of("ntla", "ntlb"));
        }
        assertThat(Ip.run("-n", name, "-br", "link")).contains("ntla", "ntlb");

        NetNamespace.remove(path);

        assertThat(path).doesNotExist();
        assertThat(Ip.run("netns", "list")).doesNotContain(name);
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(path.toString());
        NetNamespace.remove(path);
    }

    @Test
    void openOrCreateMakesItOnceAndThenAdoptsIt() {
        NetNamespace first = keep(NetNamespace.openOrCreate(path));
        NetNamespace second = keep(NetNamespace.openOrCreate(path));

        assertThat(second.inode()).isEqualTo(first.inode());
        assertThat(keep(NetNamespace.named(name)).inode()).isEqualTo(first.inode());
        assertThat(Ip.run("netns", "list")).contains(name);
    }

    @Test
    void anEmptyFileLeftByALostMountGetsAFreshNamespace() throws IOException {
        Files.createFile(path);

        NetNamespace namespace = keep(NetNamespace.openOrCreate(path));

        try (NetNamespace current = NetNamespace.current()) {
            assertThat(namespace.inode()).isNotEqualTo(current.inode());
        }
        assertThat(keep(NetNamespace.open(path)).inode()).isEqualTo(namespace.inode());
        assertThat(Ip.run("-n", name, "-br", "link")).contains("lo");
    }

    @Test
    void aDirectoryAFileWithContentOrAnotherKindOfNamespaceIsRefused() throws IOException {
        Files.createDirectory(path);
        assertThatThrownBy(() -> NetNamespace.openOrCreate(path)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(path.toString()).hasMessageContaining("a directory");
        assertThatThrownBy(() -> NetNamespace.remove(path)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(path.toString());
        Files.delete(path);

        Files.writeString(path, "hello");
        assertThatThrownBy(() -> NetNamespace.openOrCreate(path)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(path.toString()).hasMessageContaining("a file of 5 bytes");
        assertThat(Files.readString(path)).isEqualTo("hello");

        assertThatThrownBy(() -> NetNamespace.openOrCreate(Path.of("/proc/self/ns/uts")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a network namespace");
    }

    @Test
    void createOverAnExistingPathFailsAndLeavesItAlone() throws IOException {
        Files.createFile(path);

        assertThatThrownBy(() -> NetNamespace.create(path)).isInstanceOfSatisfying(NetlinkException.class, e -> {
            assertThat(e.is(Errno.EEXIST)).isTrue();
            assertThat(e.getMessage())
                    .startsWith("make network namespace " + path + ": open " + path + " failed: EEXIST");
        });
        assertThat(path).isEmptyFile();
    }

    @Test
    void aFailedCreateLeavesNothingBehind() throws IOException {
        Files.createFile(path);
        Path below = path.resolve("x");

        assertThatThrownBy(() -> NetNamespace.create(below)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(below.toString());
        assertThat(path).isEmptyFile();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(path.toString());
    }

    /** What iproute2 does to a fresh /run/netns: bind it onto itself, then make it shared. */
    @Test
    void aParentThatIsNoMountPointIsMadeASharedOne() throws IOException {
        Path directory = Files.createTempDirectory("ntlp");
        Path file = directory.resolve("ns");
        try {
            try (NetNamespace namespace = NetNamespace.create(file)) {
                assertThat(mountOptions(directory)).contains("shared:");
                assertThat(mountOptions(file)).isNotEmpty();
            }
            NetNamespace.remove(file);
            assertThat(file).doesNotExist();
            assertThat(mountOptions(file)).isEmpty();
        } finally {
            NetNamespace.remove(file);
            try {
                Libc.umount2(directory.toString(), Libc.MNT_DETACH);
            } finally {
                Files.delete(directory);
            }
        }
    }

    @Test
    void removingWhatIsNotThereIsFine() {
        NetNamespace.remove(path);

        assertThat(path).doesNotExist();
    }

    /** The optional fields of the mount at {@code mountPoint} (e.g. "shared:12"), empty when none is. */
    private static String mountOptions(Path mountPoint) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .map(line -> line.split(" "))
                .filter(fields -> fields[4].equals(mountPoint.toString()))
                .map(fields -> String.join(" ", List.of(fields).subList(6, List.of(fields).indexOf("-"))) + " ")
                .findFirst().orElse("");
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        opened.add(closeable);
        return closeable;
    }
}
