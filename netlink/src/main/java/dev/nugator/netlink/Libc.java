package dev.nugator.netlink;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The only door to libc: one {@link Linker}, the handful of downcalls rtnetlink needs, and one
 * {@link #check} that turns a failed call into a {@link NetlinkException} carrying the syscall's
 * name and errno. errno is captured by the linker right after the call: reading it later from Java
 * would see whatever the JVM did in between.
 *
 * <p>Each call allocates its errno slot in a confined arena of its own, so calls from many threads
 * never share native state.
 */
@SuppressWarnings("restricted") // the one class that links to native code; launchers enable native access
final class Libc {
    static final int AF_NETLINK = 16;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int NETLINK_ROUTE = 0;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVTIMEO = 20;
    static final int SO_SNDTIMEO = 21;
    static final int SOL_NETLINK = 270;
    static final int NETLINK_CAP_ACK = 10;
    static final int NETLINK_EXT_ACK = 11;
    /** Lets dumps be filtered by the kernel (an address dump for one ifindex) instead of by us. */
    static final int NETLINK_GET_STRICT_CHK = 12;
    static final int MSG_TRUNC = 0x20;
    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;
    /** Opening a FIFO (or a device) for reading must not wait for a writer: a namespace path comes from outside. */
    static final int O_NONBLOCK = 0x800;
    /** statfs f_type of the namespace filesystem: what /run/netns entries and /proc/PID/ns/* resolve to. */
    static final long NSFS_MAGIC = 0x6e736673L;
    /** struct statfs on x86_64 and aarch64 is 120 bytes; f_type, a long, comes first. */
    private static final long STATFS_SIZE = 120;
    static final int O_CREAT = 0x40;
    static final int O_EXCL = 0x80;
    static final int CLONE_NEWNET = 0x40000000;
    static final long MS_BIND = 4096;
    static final long MS_REC = 16384;
    static final long MS_SHARED = 1 << 20;
    /** umount2: detach now, finish when the last user is gone (what {@code ip netns del} does). */
    static final int MNT_DETACH = 2;
    /** ioctl on an nsfs fd: which kind of namespace it is (a CLONE_NEW* value). */
    static final long NS_GET_NSTYPE = 0xb703;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(PathElement.groupElement("errno"));

    private static final MethodHandle SOCKET = downcall("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle BIND = downcall("bind", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle GETSOCKNAME = downcall("getsockname", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle SETSOCKOPT =
            downcall("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SENDTO =
            downcall("sendto", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle RECVFROM =
            downcall("recvfrom", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle CLOSE = downcall("close", JAVA_INT, JAVA_INT);
    private static final MethodHandle SETNS = downcall("setns", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle UNSHARE = downcall("unshare", JAVA_INT, JAVA_INT);
    private static final MethodHandle MOUNT =
            downcall("mount", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
    private static final MethodHandle UMOUNT2 = downcall("umount2", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle UNLINK = downcall("unlink", JAVA_INT, ADDRESS);
    private static final MethodHandle FSTATFS = downcall("fstatfs", JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle WAITPID = downcall("waitpid", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    // prctl(2) is variadic after its option.
    private static final MethodHandle PRCTL = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("prctl"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));
    static final int PR_SET_CHILD_SUBREAPER = 36;
    static final int WNOHANG = 1;
    // open(2) is variadic: the mode is declared as the first variadic argument so the ABI is right.
    private static final MethodHandle OPEN = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("open"),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(2));

    // ioctl(2) is variadic too; NS_GET_NSTYPE ignores its argument, 0 is passed to keep the ABI.
    private static final MethodHandle IOCTL = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("ioctl"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(2));

    private Libc() {}

    static int socket(int domain, int type, int protocol) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return (int) check("socket", (int) SOCKET.invokeExact(state, domain, type, protocol), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void bind(int fd, MemorySegment address) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            check("bind", (int) BIND.invokeExact(state, fd, address, (int) address.byteSize()), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Fills {@code address} with the socket's own address; returns the length the kernel wrote. */
    static int getsockname(int fd, MemorySegment address) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment length = arena.allocateFrom(JAVA_INT, (int) address.byteSize());
            check("getsockname", (int) GETSOCKNAME.invokeExact(state, fd, address, length), state);
            return length.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void setsockopt(int fd, int level, int name, MemorySegment value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int result = (int) SETSOCKOPT.invokeExact(state, fd, level, name, value, (int) value.byteSize());
            check("setsockopt(" + level + ", " + name + ")", result, state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long sendto(int fd, MemorySegment message, MemorySegment address) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            long sent = (long) SENDTO.invokeExact(
                    state, fd, message, message.byteSize(), 0, address, (int) address.byteSize());
            return check("sendto", sent, state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Receives one datagram into {@code buffer}. With {@code MSG_TRUNC} the result is the datagram's
     * real length, so a caller can tell a truncated message from a complete one.
     */
    static long recvfrom(int fd, MemorySegment buffer, int flags, MemorySegment from) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment fromLength = arena.allocateFrom(JAVA_INT, (int) from.byteSize());
            long received = (long) RECVFROM.invokeExact(
                    state, fd, buffer, buffer.byteSize(), flags, from, fromLength);
            return check("recvfrom", received, state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            check("close", (int) CLOSE.invokeExact(state, fd), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** With O_CREAT the file is made with mode 0, as iproute2 makes namespace mount points. */
    static int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment cPath = arena.allocateFrom(path);
            return (int) check("open " + path, (int) OPEN.invokeExact(state, cPath, flags, 0), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void prctl(int option, long argument) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            check("prctl", (int) PRCTL.invokeExact(state, option, argument, 0L, 0L, 0L), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** waitpid with WNOHANG: the pid when it was reaped, 0 while it still runs. */
    static int waitpidNoHang(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment status = arena.allocate(JAVA_INT);
            return (int) check("waitpid", (int) WAITPID.invokeExact(state, pid, status, WNOHANG), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The type of the filesystem {@code fd} is on (statfs f_type), e.g. {@link #NSFS_MAGIC}. */
    static long filesystemType(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment statfs = arena.allocate(STATFS_SIZE, 8);
            check("fstatfs", (int) FSTATFS.invokeExact(state, fd, statfs), state);
            return statfs.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The namespace kind of an nsfs fd (CLONE_NEWNET for a network namespace). */
    static int namespaceType(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return (int) check("ioctl(NS_GET_NSTYPE)", (int) IOCTL.invokeExact(state, fd, NS_GET_NSTYPE, 0L), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Called by {@link NamespaceSwitcher} only: it changes the calling OS thread's namespace. */
    static void setns(int fd, int nsType) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            check("setns", (int) SETNS.invokeExact(state, fd, nsType), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Called by {@link NamespaceSwitcher} only: gives the calling OS thread a fresh namespace of
     * {@code flags} (CLONE_NEWNET), leaving the rest of the process where it is.
     */
    static void unshare(int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            check("unshare", (int) UNSHARE.invokeExact(state, flags), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** mount(2) without filesystem data; {@code type} "none" for binds and propagation changes. */
    static void mount(String source, String target, String type, long flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int result = (int) MOUNT.invokeExact(state, arena.allocateFrom(source), arena.allocateFrom(target),
                    arena.allocateFrom(type), flags, MemorySegment.NULL);
            check("mount " + target, result, state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void umount2(String target, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            check("umount2 " + target, (int) UMOUNT2.invokeExact(state, arena.allocateFrom(target), flags), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void unlink(String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            check("unlink " + path, (int) UNLINK.invokeExact(state, arena.allocateFrom(path)), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The one check: a negative result means failure, and errno says why. */
    private static long check(String syscall, long result, MemorySegment state) {
        if (result < 0) {
            throw new NetlinkException(syscall, (int) ERRNO.get(state, 0L), null);
        }
        return result;
    }

    private static MethodHandle downcall(String name, MemoryLayout result, MemoryLayout... arguments) {
        return LINKER.downcallHandle(
                LINKER.defaultLookup().findOrThrow(name),
                FunctionDescriptor.of(result, arguments),
                Linker.Option.captureCallState("errno"));
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }
}
