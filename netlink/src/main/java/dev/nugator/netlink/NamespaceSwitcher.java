package dev.nugator.netlink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The one place that calls setns(2) and unshare(2). Both change only the calling OS thread, so a
 * task that must run inside another network namespace, or a new one, is handed to a dedicated
 * platform thread of this class (never a virtual thread: its carrier runs unrelated work). That
 * thread enters the target (or unshares), runs the task, and returns to the process's namespace in
 * {@code finally}. If it cannot return, it is retired: it dies and the pool makes a fresh one, so
 * no later task ever starts in a stranger's namespace.
 *
 * <p>Prefer not to switch at all: a netlink socket opened inside a namespace stays there, which is
 * how {@link RtNetlink#openIn} uses this class, once per socket.
 */
public final class NamespaceSwitcher {
    private static final System.Logger LOG = System.getLogger(NamespaceSwitcher.class.getName());
    private static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);
    private static final NamespaceSwitcher SHARED =
            new NamespaceSwitcher(fd -> Libc.setns(fd, Libc.CLONE_NEWNET), 4);

    /** The setns call; a seam so tests can make the return trip fail. */
    @FunctionalInterface
    interface Setns {
        void enter(int namespaceFd);
    }

    private final Setns setns;
    /** /proc/self names the thread-group leader, which never switches: the process's namespace. */
    private final NetNamespace home = NetNamespace.open(java.nio.file.Path.of("/proc/self/ns/net"));
    private final ThreadPoolExecutor threads;

    NamespaceSwitcher(Setns setns, int size) {
        this.setns = setns;
        this.threads = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> new NamespaceThread(this, task));
        threads.allowCoreThreadTimeOut(true);
    }

    public static NamespaceSwitcher shared() {
        return SHARED;
    }

    /** Runs {@code task} inside {@code target} and waits up to 30 s for it. */
    public <T> T call(NetNamespace target, Callable<T> task) {
        return call(target, DEFAULT_DEADLINE, task);
    }

    /**
     * Runs {@code task} inside {@code target} on a dedicated thread and returns its result. If the
     * deadline passes first, a result that is AutoCloseable (a socket) is closed when it arrives.
     */
    public <T> T call(NetNamespace target, Duration deadline, Callable<T> task) {
        int targetFd = target.fd();
        return await(target.toString(), deadline, result -> runSwitched(targetFd, task, result));
    }

    /**
     * Runs {@code task} on a dedicated thread inside a network namespace made for it alone
     * (unshare(CLONE_NEWNET) of that thread), then brings the thread home as {@link #call} does. The
     * namespace outlives the task only if the task keeps it: binds /proc/thread-self/ns/net to a
     * file, opens it, or opens a socket in it.
     */
    public <T> T callInNewNamespace(Callable<T> task) {
        return await("a new network namespace", DEFAULT_DEADLINE,
                result -> runEntered(() -> Libc.unshare(Libc.CLONE_NEWNET), task, result));
    }

    /**
     * Runs on a dedicated thread only: enter, run, return home or retire the thread. The result is
     * handed over only after the return trip, so a caller never races a thread still inside.
     */
    <T> void runSwitched(int targetFd, Callable<T> task, CompletableFuture<T> result) {
        runEntered(() -> setns.enter(targetFd), task, result);
    }

    private <T> void runEntered(Runnable enter, Callable<T> task, CompletableFuture<T> result) {
        NamespaceThread self = requireDedicatedThread();
        if (!self.home) {
            goHomeOrFail(result);
            self.home = true;
        }
        try {
            enter.run();
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        CompletableFuture<T> outcome = new CompletableFuture<>();
        try {
            outcome.complete(task.call());
        } catch (Throwable t) {
            outcome.completeExceptionally(t);
        }
        try {
            goHomeOrRetire();
        } finally {
            outcome.whenComplete((value, failure) -> deliver(result, value, failure));
        }
    }

    /** Hands {@code job} to a dedicated thread and waits for the result it completes. */
    private <T> T await(String where, Duration deadline, Consumer<CompletableFuture<T>> job) {
        CompletableFuture<T> result = new CompletableFuture<>();
        threads.execute(() -> job.accept(result));
        try {
            return result.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            result.thenAccept(NamespaceSwitcher::closeAbandoned);
            throw new IllegalStateException("task in " + where + " did not finish within " + deadline, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.thenAccept(NamespaceSwitcher::closeAbandoned);
            throw new IllegalStateException("interrupted while waiting for a task in " + where, e);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    /** Stops the threads of a private instance (tests); the shared one lives as long as the JVM. */
    void shutdown() {
        threads.shutdownNow();
        home.close();
    }

    private NamespaceThread requireDedicatedThread() {
        Thread current = Thread.currentThread();
        if (current instanceof NamespaceThread thread && thread.owner == this) {
            return thread;
        }
        throw new IllegalStateException(current.isVirtual()
                ? "setns refused on a virtual thread: its carrier is shared with unrelated work"
                : "setns refused on " + current.getName() + ": only NamespaceSwitcher's own threads switch");
    }

    /**
     * A thread starts in the namespace of whoever made it, which may be a switched thread of ours;
     * so before its first task it goes home too, and one that cannot dies without running it.
     */
    private void goHomeOrFail(CompletableFuture<?> result) {
        try {
            goHomeOrRetire();
        } catch (RetiredThread e) {
            result.completeExceptionally(e.getCause());
            throw e;
        }
    }

    private void goHomeOrRetire() {
        try {
            setns.enter(home.fd());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "retiring thread " + Thread.currentThread().getName()
                    + ": cannot return to the process's network namespace: " + e.getMessage());
            throw new RetiredThread(e);
        }
    }

    private static <T> void deliver(CompletableFuture<T> result, T value, Throwable failure) {
        if (failure == null) {
            result.complete(value);
        } else {
            result.completeExceptionally(failure);
        }
    }

    private static RuntimeException unwrap(Throwable cause) {
        if (cause instanceof RuntimeException e) {
            return e;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        if (cause instanceof IOException e) {
            return new UncheckedIOException(e);
        }
        return new IllegalStateException(cause);
    }

    private static void closeAbandoned(Object result) {
        if (result instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing an abandoned result failed: " + e);
            }
        }
    }

    /** Kills the worker that throws it: the pool replaces it with a fresh thread. */
    private static final class RetiredThread extends Error {
        private static final long serialVersionUID = 1L;

        RetiredThread(Throwable cause) {
            super("thread retired: it could not return to its home network namespace", cause);
        }
    }

    private static final class NamespaceThread extends Thread {
        private static final java.util.concurrent.atomic.AtomicInteger NUMBERS =
                new java.util.concurrent.atomic.AtomicInteger();
        private final NamespaceSwitcher owner;
        private boolean home;

        NamespaceThread(NamespaceSwitcher owner, Runnable worker) {
            super(worker, "netns-switcher-" + NUMBERS.incrementAndGet());
            this.owner = owner;
            setDaemon(true);
            // A retired thread was already reported when it retired; nothing more to print.
            setUncaughtExceptionHandler((thread, error) -> {
                if (!(error instanceof RetiredThread)) {
                    LOG.log(Level.ERROR, thread.getName() + " died", error);
                }
            });
        }
    }
}
