package dev.nugator.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Checks many independent things a few at a time (one {@code ip} or ping per link, for 30 links),
 * where doing them one after the other would spend most of a test waiting on process start-up.
 * Results keep the input's order; when some fail, the first failure is rethrown as it was (an
 * AssertionError stays one) with the others suppressed.
 */
public final class Parallel {
    private Parallel() {}

    /** {@code work} applied to every item, {@code threads} at a time; results in input order. */
    public static <T, R> List<R> map(List<T> items, int threads, Function<T, R> work) {
        var failures = new ArrayList<Throwable>();
        var results = new ArrayList<R>(items.size());
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, items.size())))) {
            var futures = new ArrayList<Future<R>>();
            for (T item : items) {
                futures.add(pool.submit(() -> work.apply(item)));
            }
            for (Future<R> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                    results.add(null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.add(e);
                    results.add(null);
                }
            }
        }
        if (!failures.isEmpty()) {
            Throwable first = failures.getFirst();
            failures.stream().skip(1).limit(5).forEach(first::addSuppressed);
            if (first instanceof AssertionError error) {
                throw error;
            }
            if (first instanceof RuntimeException exception) {
                throw exception;
            }
            throw new AssertionError(first);
        }
        return results;
    }

    /** {@code work} run for every item, {@code threads} at a time. */
    public static <T> void forEach(List<T> items, int threads, java.util.function.Consumer<T> work) {
        map(items, threads, item -> {
            work.accept(item);
            return Boolean.TRUE;
        });
    }
}
