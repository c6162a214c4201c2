package dev.nugator.daemon;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What may already be at the --socket path when nugatord starts. A socket nobody accepts on is
 * what a killed nugatord leaves, and it is replaced; anything else (a file, a directory, a link,
 * a socket in use) belongs to someone, so nugatord refuses to start rather than delete it. A
 * symbolic link is refused even when it leads to a socket: binding would not follow it anyway.
 */
final class SocketFile {
    private static final int TYPE_MASK = 0170000;
    private static final int SOCKET = 0140000;

    private SocketFile() {}

    /** Removes a stale socket at {@code path}; throws, naming the path and what is there, for anything else. */
    static void clearStale(Path path) throws IOException {
        Map<String, Object> found;
        try {
            found = Files.readAttributes(path, "unix:mode,ino,dev", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException free) {
            return;
        }
        if (((Integer) found.get("mode") & TYPE_MASK) != SOCKET) {
            throw refuse(path, "it is " + describe(path, (Integer) found.get("mode")) + ", not a socket; nugatord replaces"
                    + " only a stale socket left by an earlier nugatord: move it away or choose another --socket");
        }
        if (!isStale(path)) {
            throw refuse(path, "a nugatord (or another program) already listens on this socket");
        }
        // the same inode as the one probed: a file swapped in meanwhile is not deleted by mistake
        if (!found.equals(Files.readAttributes(path, "unix:mode,ino,dev", LinkOption.NOFOLLOW_LINKS))) {
            throw refuse(path, "it changed while nugatord was checking it");
        }
        Files.delete(path);
    }

    /** Stale when connecting is refused; a socket whose backlog is full (EAGAIN) is busy, not stale. */
    private static boolean isStale(Path path) throws IOException {
        try (var probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.configureBlocking(false); // a live but overloaded listener must not stall the start
            probe.connect(UnixDomainSocketAddress.of(path));
            return false;
        } catch (ConnectException refused) {
            return true;
        } catch (IOException busy) {
            return false;
        }
    }

    private static String describe(Path path, int mode) {
        return switch (mode & TYPE_MASK) {
            case 0100000 -> "a regular file";
            case 0040000 -> "a directory";
            case 0120000 -> "a symbolic link to " + linkTarget(path);
            case 0010000 -> "a named pipe";
            case 0020000 -> "a character device";
            case 0060000 -> "a block device";
            default -> "a file of type 0%o".formatted(mode & TYPE_MASK);
        };
    }

    private static String linkTarget(Path path) {
        try {
            return Files.readSymbolicLink(path).toString();
        } catch (IOException e) {
            return "an unreadable target";
        }
    }

    private static FileSystemException refuse(Path path, String what) {
        return new FileSystemException(path.toString(), null, what);
    }
}
