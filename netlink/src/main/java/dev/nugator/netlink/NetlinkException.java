package dev.nugator.netlink;

/**
 * A syscall or a kernel request failed. Carries what we were doing ({@link #operation()}, e.g.
 * {@code "create veth in1/np1234"}), the errno, and the kernel's extended-ack text when it gave one
 * (e.g. {@code "Unknown device type"}): the three things a person needs to see, kept apart so that
 * code decides by errno and never by message text.
 */
public final class NetlinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int errno;
    private final String kernelMessage;

    public NetlinkException(String operation, int errno, String kernelMessage) {
        super(describe(operation, errno, kernelMessage));
        this.operation = operation;
        this.errno = errno;
        this.kernelMessage = kernelMessage;
    }

    public String operation() {
        return operation;
    }

    /** The positive errno value, e.g. 17. */
    public int errno() {
        return errno;
    }

    /** The symbolic errno name, e.g. {@code "EEXIST"}. */
    public String errnoName() {
        return Errno.nameOf(errno);
    }

    /** The kernel's extended-ack message, or null when it sent none. */
    public String kernelMessage() {
        return kernelMessage;
    }

    public boolean is(Errno expected) {
        return errno == expected.number();
    }

    private static String describe(String operation, int errno, String kernelMessage) {
        Errno known = Errno.byNumber(errno);
        String what = known == null ? "errno " + errno : known.name() + " (" + known.description() + ")";
        String kernel = kernelMessage == null || kernelMessage.isEmpty() ? "" : ": " + kernelMessage;
        return operation + " failed: " + what + kernel;
    }
}
