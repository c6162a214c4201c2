package dev.nugator.store;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Waits for jetcd's futures with a deadline and turns their failures into the store's exceptions:
 * {@link IllegalArgumentException} for what etcd refuses for good, {@link StoreUnavailableException}
 * for what may work later, with the reason in words ({@link EtcdFailure}).
 */
final class EtcdCalls {
    private final String name;
    private final Optional<EtcdTls> tls;
    private final LastCallFailure lastFailure;
    private final BooleanSupplier closed;
    private final Runnable onUnavailable;

    /** {@code onUnavailable} runs after every call that failed for want of etcd (see {@link ReconnectNudge}). */
    EtcdCalls(String name, Optional<EtcdTls> tls, LastCallFailure lastFailure, BooleanSupplier closed, Runnable onUnavailable) {
        this.name = name;
        this.tls = tls;
        this.lastFailure = lastFailure;
        this.closed = closed;
        this.onUnavailable = onUnavailable;
    }

    <T> T await(String action, CompletableFuture<T> future, Duration deadline) {
        long started = System.nanoTime();
        requireOpen();
        try {
            return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            onUnavailable.run();
            String why = lastFailure.since(started).map(cause -> "; the last call to etcd failed: " + describe(cause)).orElse("");
            throw new StoreUnavailableException(name + ": cannot " + action + ": no answer within " + deadline.toMillis() + " ms" + why, e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException(name + ": interrupted while waiting to " + action, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (refused(cause)) {
                throw new IllegalArgumentException(name + ": cannot " + action + ": " + cause.getMessage(), cause);
            }
            onUnavailable.run();
            throw unavailable(action, cause);
        }
    }

    StoreUnavailableException unavailable(String action, Throwable cause) {
        return new StoreUnavailableException(name + ": cannot " + action + ": " + describe(cause), cause);
    }

    String describe(Throwable cause) {
        return EtcdFailure.describe(cause, tls);
    }

    void requireOpen() {
        if (closed.getAsBoolean()) {
            throw new StoreUnavailableException(name + ": the store is closed", null);
        }
    }

    /** What etcd refuses for good (a bad request, a compacted revision) as opposed to what may work later. */
    private static boolean refused(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof io.grpc.StatusRuntimeException status) {
                var code = status.getStatus().getCode();
                return code == io.grpc.Status.Code.INVALID_ARGUMENT || code == io.grpc.Status.Code.OUT_OF_RANGE;
            }
            if (t instanceof io.etcd.jetcd.common.exception.EtcdException etcd) {
                var code = etcd.getErrorCode();
                return code == io.etcd.jetcd.common.exception.ErrorCode.INVALID_ARGUMENT
                        || code == io.etcd.jetcd.common.exception.ErrorCode.OUT_OF_RANGE;
            }
        }
        return false;
    }
}
