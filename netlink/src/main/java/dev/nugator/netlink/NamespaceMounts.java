package dev.nugator.netlink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What {@code ip netns add} and {@code ip netns del} do to the file system: a network namespace
 * is kept alive, without any process in it, by bind-mounting its nsfs file onto an empty file.
 *
 * <p>The directory holding such files is made a shared mount (a bind of itself first when it is no
 * mount point yet), so that the bind and, later, its removal propagate to every mount namespace
 * that sees the directory: a namespace removed here is not kept alive by a copy of the mount in a
 * container's mount namespace. That shared mount stays, as with iproute2, since other namespaces
 * may be bound under the same directory.
 */
final class NamespaceMounts {
    private static final String THREAD_NETNS = "/proc/thread-self/ns/net";
    /** umount2 peels one mount at a time; a path bound twice by racing creators needs more. */
    private static final int MAX_STACKED_MOUNTS = 8;
    /** Two threads of ours making the directory a mount point at once would stack two binds. */
    private static final Object SHARING = new Object();

    private NamespaceMounts() {}

    /** Makes a new namespace bound at {@code path}, which must not exist; leaves nothing on failure. */
    static NetNamespace create(Path path) {
        String what = "make network namespace " + path;
        Path directory = path.toAbsolutePath().getParent();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": cannot create " + directory, e);
        }
        try {
            makeShared(directory.toString());
            Libc.close(Libc.open(path.toString(), Libc.O_RDONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_CLOEXEC));
        } catch (NetlinkException e) {
            throw failed(what, e);
        }
        return bindFresh(path, true);
    }

    /**
     * Binds a new namespace onto the existing empty file {@code path} and opens it. On failure the
     * bind is undone, and the file removed if {@code madeFile} (we created it).
     */
    static NetNamespace bindFresh(Path path, boolean madeFile) {
        String what = "make network namespace " + path;
        try {
            NamespaceSwitcher.shared().callInNewNamespace(() -> {
                Libc.mount(THREAD_NETNS, path.toString(), "none", Libc.MS_BIND);
                return null;
            });
        } catch (RuntimeException e) {
            RuntimeException failure = failed(what, e);
            undo(path, false, madeFile, failure);
            throw failure;
        }
        try {
            return NetNamespace.open(path);
        } catch (RuntimeException e) {
            RuntimeException failure = failed(what, e);
            undo(path, true, madeFile, failure);
            throw failure;
        }
    }

    /** Unbinds and unlinks {@code path}; a path that is not there is fine, a directory is refused. */
    static void remove(Path path) {
        String what = "remove network namespace " + path;
        if (Files.isDirectory(path)) {
            throw new IllegalArgumentException(path + " is a directory, not a network namespace");
        }
        try {
            if (!unmountAll(path.toString())) {
                return;
            }
            Libc.unlink(path.toString());
        } catch (NetlinkException e) {
            if (!e.is(Errno.ENOENT)) {
                throw failed(what, e);
            }
        }
    }

    /** What a path that is no namespace holds, as a refusal can say it. */
    static String describe(BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "a directory";
        }
        if (attributes.isRegularFile()) {
            return "a file of " + attributes.size() + " bytes";
        }
        return "a special file";
    }

    /** mount --make-rshared, making the directory a mount point first if it is none (EINVAL). */
    private static void makeShared(String directory) {
        synchronized (SHARING) {
            try {
                Libc.mount("", directory, "none", Libc.MS_SHARED | Libc.MS_REC);
            } catch (NetlinkException e) {
                if (!e.is(Errno.EINVAL)) {
                    throw e;
                }
                Libc.mount(directory, directory, "none", Libc.MS_BIND | Libc.MS_REC);
                Libc.mount("", directory, "none", Libc.MS_SHARED | Libc.MS_REC);
            }
        }
    }

    /** Detaches every mount on {@code path}; false when the path does not exist. */
    private static boolean unmountAll(String path) {
        for (int i = 0; i < MAX_STACKED_MOUNTS; i++) {
            try {
                Libc.umount2(path, Libc.MNT_DETACH);
            } catch (NetlinkException e) {
                if (e.is(Errno.ENOENT)) {
                    return false;
                }
                if (e.is(Errno.EINVAL)) {
                    return true; // no mount (left) on it: a plain file
                }
                throw e;
            }
        }
        return true;
    }

    private static void undo(Path path, boolean mounted, boolean madeFile, RuntimeException failure) {
        try {
            if (mounted) {
                Libc.umount2(path.toString(), Libc.MNT_DETACH);
            }
            if (madeFile) {
                Libc.unlink(path.toString());
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** The failure of one step, told as the failure to make or remove the namespace at the path. */
    private static RuntimeException failed(String what, RuntimeException e) {
        if (e instanceof NetlinkException n) {
            NetlinkException told = new NetlinkException(what + ": " + n.operation(), n.errno(), n.kernelMessage());
            told.initCause(e);
            return told;
        }
        if (e instanceof IllegalArgumentException) {
            return new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
        return new IllegalStateException(what + ": " + e.getMessage(), e);
    }
}
