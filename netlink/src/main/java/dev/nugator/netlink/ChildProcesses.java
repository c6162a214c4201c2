package dev.nugator.netlink;

/**
 * What the JDK cannot do for a process that runs others: become the reaper of their orphans, and
 * collect an orphan's exit status. Processes a child leaves behind (a shell's {@code sleep &}, a
 * {@code setsid}'d helper) are re-parented to the nearest subreaper instead of to init; a daemon
 * that is one can find and end them. Only pids the JDK did not start may be reaped here: the JDK
 * waits for its own.
 */
public final class ChildProcesses {
    private ChildProcesses() {}

    /** Makes this process the subreaper of its descendants (prctl PR_SET_CHILD_SUBREAPER). */
    public static void becomeSubreaper() {
        Libc.prctl(Libc.PR_SET_CHILD_SUBREAPER, 1);
    }

    /**
     * Collects the exit status of {@code pid}, a child of this process that the JDK did not start,
     * if it has exited; returns whether it did (ECHILD, not a child or already reaped, counts as done).
     */
    public static boolean reap(long pid) {
        try {
            return Libc.waitpidNoHang((int) pid) != 0;
        } catch (NetlinkException e) {
            if (e.is(Errno.ECHILD)) {
                return true;
            }
            throw e;
        }
    }
}
