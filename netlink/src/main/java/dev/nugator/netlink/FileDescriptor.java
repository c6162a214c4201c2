package dev.nugator.netlink;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Owns one open file descriptor. {@link #close()} is safe to call twice and from several threads:
 * the number is swapped out atomically, so the fd is closed exactly once and never after the
 * kernel may have handed the same number to someone else.
 */
final class FileDescriptor implements AutoCloseable {
    private static final int CLOSED = -1;

    private final AtomicInteger fd;
    private final String what;

    FileDescriptor(int fd, String what) {
        this.fd = new AtomicInteger(fd);
        this.what = what;
    }

    /** The fd number; throws once closed so a stale number is never used. */
    int get() {
        int value = fd.get();
        if (value == CLOSED) {
            throw new IllegalStateException(what + " is closed");
        }
        return value;
    }

    boolean isOpen() {
        return fd.get() != CLOSED;
    }

    @Override
    public void close() {
        int value = fd.getAndSet(CLOSED);
        if (value != CLOSED) {
            Libc.close(value);
        }
    }

    @Override
    public String toString() {
        return what + " fd " + fd.get();
    }
}
