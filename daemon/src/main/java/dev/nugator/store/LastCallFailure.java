package dev.nugator.store;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Remembers the last gRPC call to etcd that failed with a cause, such as a refused TLS handshake.
 * jetcd retries those calls until its own budget ends, so a call whose deadline is shorter than
 * that budget (a health check, a lease renewal) times out without ever seeing why; this tells it.
 */
final class LastCallFailure implements ClientInterceptor {
    private record Failure(long atNanos, Throwable cause) {}

    private final AtomicReference<Failure> last = new AtomicReference<>();

    /** The cause of the last failure recorded at or after {@code sinceNanos} ({@link System#nanoTime}). */
    Optional<Throwable> since(long sinceNanos) {
        Failure failure = last.get();
        return failure == null || failure.atNanos() - sinceNanos < 0 ? Optional.empty() : Optional.of(failure.cause());
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        if (status.getCause() != null) {
                            last.set(new Failure(System.nanoTime(), status.asRuntimeException()));
                        }
                        super.onClose(status, trailers);
                    }
                }, headers);
            }
        };
    }
}
