package dev.nugator.netlink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * An open network namespace: an fd to {@code /run/netns/NAME}, {@code /proc/PID/ns/net} or the
 * calling thread's own. While it is open the namespace lives on, even if its /run/netns entry is
 * deleted. Closing is safe twice.
 *
 * <p>{@link #create}, {@link #openOrCreate} and {@link #remove} do what {@code ip netns add} and
 * {@code ip netns del} do, for any path: a namespace bound to a file outlives every process.
 */
public final class NetNamespace implements AutoCloseable {
    private static final Path RUN_NETNS = Path.of("/run/netns");

    private final FileDescriptor fd;
    private final Path path;
    private final long inode;
    private final long device;

    private NetNamespace(FileDescriptor fd, Path path, long[] identity) {
        this.fd = fd;
        this.path = path;
        this.inode = identity[0];
        this.device = identity[1];
    }

    /**
     * Opens the namespace at {@code path}, which may come from outside (CNI_NETNS): the open never
     * blocks (a FIFO there would wait for a writer forever), and what it opens must be on the
     * namespace filesystem and a network namespace. Throws NetlinkException (ENOENT) when nothing
     * is there, IllegalArgumentException naming the path when it is something else (a plain file,
     * a stale /run/netns entry whose mount is gone, a FIFO, another kind of namespace).
     */
    public static NetNamespace open(Path path) {
        int number = Libc.open(path.toString(), Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        FileDescriptor fd = new FileDescriptor(number, "netns " + path);
        try {
            long type = Libc.filesystemType(number);
            if (type != Libc.NSFS_MAGIC) {
                throw new IllegalArgumentException(path + " is not a namespace file (filesystem type 0x" + Long.toHexString(type) + ")");
            }
            return new NetNamespace(fd, path, identityOf(number, path));
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /**
     * Makes a new network namespace and binds it at {@code path} (which must not exist), as
     * {@code ip netns add} does: the parent directory is created if missing and made a shared mount,
     * an empty file is created there, and the new namespace is bind-mounted onto it. On failure
     * nothing is left at {@code path}; the NetlinkException names the path, the step and the errno.
     */
    public static NetNamespace create(Path path) {
        return NamespaceMounts.create(path);
    }

    /**
     * The namespace bound at {@code path}, the same one every time; made there when the path is
     * missing. An empty file (a binding whose mount went away) gets a fresh namespace bound onto it.
     * Anything else at the path (a directory, a file with content, another kind of namespace) is an
     * IllegalArgumentException naming the path and what it is.
     */
    public static NetNamespace openOrCreate(Path path) {
        for (int attempt = 1; ; attempt++) {
            int number;
            try {
                number = Libc.open(path.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
            } catch (NetlinkException e) {
                if (!e.is(Errno.ENOENT)) {
                    throw e;
                }
                try {
                    return create(path);
                } catch (NetlinkException raced) {
                    if (raced.is(Errno.EEXIST) && attempt < 3) {
                        continue; // someone made it between our open and our create: adopt theirs
                    }
                    throw raced;
                }
            }
            return adoptOrBind(new FileDescriptor(number, "netns " + path), path);
        }
    }

    /**
     * Unbinds and deletes the namespace file at {@code path}, as {@code ip netns del} does: the
     * namespace itself goes once nothing else holds it (no process, no open fd, no socket). A path
     * that does not exist is fine; a directory is refused.
     */
    public static void remove(Path path) {
        NamespaceMounts.remove(path);
    }

    /** The namespace {@code ip netns add NAME} made. */
    public static NetNamespace named(String name) {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("netns name: '" + name + "' is not a name under " + RUN_NETNS);
        }
        return open(RUN_NETNS.resolve(name));
    }

    /** The namespace process {@code pid} is in. */
    public static NetNamespace ofPid(long pid) {
        return open(Path.of("/proc", Long.toString(pid), "ns", "net"));
    }

    /** The calling thread's namespace (on a virtual thread: its carrier's, which is never switched). */
    public static NetNamespace current() {
        return open(Path.of("/proc/thread-self/ns/net"));
    }

    public int fd() {
        return fd.get();
    }

    public Path path() {
        return path;
    }

    /** The nsfs inode: two NetNamespace objects are the same namespace when their inodes match. */
    public long inode() {
        return inode;
    }

    /** Whether {@code other} is the very same namespace (nsfs inode and device), whatever path each was opened by. */
    public boolean sameAs(NetNamespace other) {
        return inode == other.inode && device == other.device;
    }

    public boolean isOpen() {
        return fd.isOpen();
    }

    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "netns " + path + " [" + inode + "]";
    }

    /** An fd to what is at {@code path}: a network namespace is adopted, an empty file gets one. */
    private static NetNamespace adoptOrBind(FileDescriptor fd, Path path) {
        int type;
        try {
            type = Libc.namespaceType(fd.get());
        } catch (NetlinkException notNsfs) {
            type = 0;
        }
        if (type == Libc.CLONE_NEWNET) {
            try {
                return new NetNamespace(fd, path, identityOf(fd.get(), path));
            } catch (RuntimeException e) {
                fd.close();
                throw e;
            }
        }
        BasicFileAttributes attributes;
        try (fd) {
            if (type != 0) {
                throw new IllegalArgumentException(path + " is a namespace, but not a network namespace");
            }
            attributes = Files.readAttributes(Path.of("/proc/self/fd", Integer.toString(fd.get())),
                    BasicFileAttributes.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + path, e);
        }
        if (!attributes.isRegularFile() || attributes.size() != 0) {
            throw new IllegalArgumentException(path + " is " + NamespaceMounts.describe(attributes)
                    + ", not a network namespace nor an empty file to bind one onto");
        }
        return NamespaceMounts.bindFresh(path, false);
    }

    /**
     * Checks that the fd is a network namespace (a /run/netns entry whose mount is gone is a plain
     * file) and returns its nsfs inode and device: stat through /proc/self/fd reaches the namespace
     * itself.
     */
    private static long[] identityOf(int fd, Path path) {
        int type;
        try {
            type = Libc.namespaceType(fd);
        } catch (NetlinkException e) {
            throw new IllegalArgumentException(path + " is not a namespace (" + e.errnoName() + ")", e);
        }
        if (type != Libc.CLONE_NEWNET) {
            throw new IllegalArgumentException(path + " is a namespace, but not a network namespace");
        }
        try {
            var attributes = Files.readAttributes(Path.of("/proc/self/fd", Integer.toString(fd)), "unix:ino,dev");
            return new long[] {(Long) attributes.get("ino"), (Long) attributes.get("dev")};
        } catch (IOException e) {
            throw new IllegalStateException("cannot stat /proc/self/fd/" + fd, e);
        }
    }
}
