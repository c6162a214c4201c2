package dev.nugator.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketFileTest {
    @TempDir
    Path dir;

    @Test
    void aStaleSocketIsRemoved() throws Exception {
        Path socket = dir.resolve("s.sock");
        try (var listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(socket));
        } // closed: the file stays, nobody accepts on it

        SocketFile.clearStale(socket);

        assertThat(socket).doesNotExist();
    }

    @Test
    void nothingThereIsFine() throws Exception {
        SocketFile.clearStale(dir.resolve("absent.sock"));
    }

    @Test
    void aRegularFileIsRefusedAndKept() throws Exception {
        Path file = Files.writeString(dir.resolve("precious.txt"), "keep me");

        assertRefused(file, "a regular file");

        assertThat(file).hasContent("keep me");
    }

    @Test
    void aDirectoryIsRefusedAndKept() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));

        assertRefused(sub, "a directory");

        assertThat(sub).isDirectory();
    }

    @Test
    void aSymbolicLinkIsRefusedAndKept() throws Exception {
        Path target = Files.writeString(dir.resolve("target"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("link.sock"), target);

        assertRefused(link, "a symbolic link to " + target);

        assertThat(link).isSymbolicLink();
    }

    @Test
    void aSocketSomeoneListensOnIsRefusedAndKept() throws Exception {
        Path socket = dir.resolve("live.sock");
        try (var listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(socket));

            assertRefused(socket, "already listens");

            assertThat(socket).exists();
        }
    }

    private static void assertRefused(Path path, String what) {
        assertThatThrownBy(() -> SocketFile.clearStale(path)).isInstanceOfSatisfying(FileSystemException.class, e -> {
            assertThat(e.getFile()).isEqualTo(path.toString());
            assertThat(e.getReason()).contains(what);
        });
    }
}
