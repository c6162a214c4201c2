package dev.nugator.netlink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An open network namespace: an fd to {@code /run/netns/NAME}, {@code /proc/PID/ns/net} or the
 * calling thread's own. While it is open the namespace lives on, even if its /run/netns entry is
 * deleted. Closing is safe twice.
 */
public final class NetNamespace implements AutoCloseable {
    private static final Path RUN_NETNS = Path.of("/run/netns");

    private final FileDescriptor fd;
    private final Path path;
    private final long inode;

    private NetNamespace(FileDescriptor fd, Path path, long inode) {
        this.fd = fd;
        this.path = path;
        this.inode = inode;
    }

    /**
     * Opens the namespace at {@code path}. Throws NetlinkException (ENOENT) when it does not exist,
     * IllegalArgumentException when the path is not a network namespace (for example a stale
     * /run/netns entry whose mount is gone).
     */
    public static NetNamespace open(Path path) {
        int number = Libc.open(path.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
        FileDescriptor fd = new FileDescriptor(number, "netns " + path);
        try {
            return new NetNamespace(fd, path, inodeOf(number, path));
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
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

    /**
     * Checks that the fd is a network namespace (a /run/netns entry whose mount is gone is a plain
     * file) and returns its nsfs inode: stat through /proc/self/fd reaches the namespace itself.
     */
    private static long inodeOf(int fd, Path path) {
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
            return (Long) Files.getAttribute(Path.of("/proc/self/fd", Integer.toString(fd)), "unix:ino");
        } catch (IOException e) {
            throw new IllegalStateException("cannot stat /proc/self/fd/" + fd, e);
        }
    }
}
