package dev.nugator.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/** Bringing a {@link ClusterLab} up: its daemons started side by side, many pods attached at once. */
final class ClusterBringUp {
    private ClusterBringUp() {}

    /** Starts daemon 1..{@code size} in parallel (each start waits for its socket); fails with every one that did not start. */
    static Nugatord[] startDaemons(int size, IntFunction<Nugatord> start, String nodes) {
        var daemons = new Nugatord[size];
        var failures = new ArrayList<Throwable>();
        try (ExecutorService pool = Executors.newFixedThreadPool(size)) {
            var starts = new ArrayList<Future<Nugatord>>();
            for (int i = 1; i <= size; i++) {
                int node = i;
                starts.add(pool.submit(() -> start.apply(node)));
            }
            for (int i = 0; i < size; i++) {
                try {
                    daemons[i] = starts.get(i).get();
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.add(e);
                }
            }
        }
        if (!failures.isEmpty()) {
            var error = new AssertionError("nugatord did not start on every node of " + nodes, failures.getFirst());
            failures.stream().skip(1).forEach(error::addSuppressed);
            for (Nugatord started : daemons) {
                if (started != null) {
                    try {
                        started.close();   // its panel and temp dir go with it
                    } catch (RuntimeException | AssertionError e) {
                        error.addSuppressed(e);
                    }
                }
            }
            throw error;
        }
        return daemons;
    }

    /** See {@link ClusterLab#attachAll(Collection, int, Duration, IntConsumer)}. */
    static void attachAll(Collection<ClusterPod> all, int parallelism, Duration deadline, IntConsumer progress) {
        Instant until = Instant.now().plus(deadline);
        var done = new AtomicInteger();
        var gate = new Semaphore(parallelism);
        var failures = new ArrayList<Throwable>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<?>>();
            for (ClusterPod pod : all) {
                futures.add(pool.submit(() -> {
                    gate.acquireUninterruptibly();
                    try {
                        pod.attachRetrying(until);
                    } finally {
                        gate.release();
                    }
                    progress.accept(done.incrementAndGet());
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.add(e);
                }
            }
        }
        if (!failures.isEmpty()) {
            var error = new AssertionError(failures.size() + " of " + all.size() + " pods were not attached by the deadline;"
                    + " first: " + failures.getFirst().getMessage(), failures.getFirst());
            failures.stream().skip(1).limit(5).forEach(error::addSuppressed);
            throw error;
        }
    }
}
