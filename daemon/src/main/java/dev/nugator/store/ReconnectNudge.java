package dev.nugator.store;

import io.etcd.jetcd.Client;
import io.grpc.ManagedChannel;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a failed call, asks gRPC to reconnect to etcd now rather than when its backoff ends.
 * gRPC waits between attempts to reach a refused endpoint up to two minutes, growing with the
 * outage; with calls that do not wait for a connection (ours fail fast, for the CNI deadlines),
 * every node would then fail ADDs for up to two minutes after etcd is back. The channel's
 * {@code resetConnectBackoff()} is gRPC's public remedy, but jetcd does not hand out its
 * channel: it is reached by reflection, and if a jetcd version moves it, the nudge is a no-op
 * (logged once) and gRPC's own backoff applies.
 */
final class ReconnectNudge {
    private static final Logger log = LoggerFactory.getLogger(ReconnectNudge.class);
    private static final long MIN_INTERVAL_NANOS = 500_000_000L;
    private final Optional<ManagedChannel> channel;
    private final AtomicLong last = new AtomicLong(System.nanoTime() - MIN_INTERVAL_NANOS);

    ReconnectNudge(Client client) {
        this.channel = channelOf(client);
    }

    /** At most twice a second, however many calls fail. */
    void nudge() {
        long now = System.nanoTime();
        long previous = last.get();
        if (channel.isPresent() && now - previous >= MIN_INTERVAL_NANOS && last.compareAndSet(previous, now)) {
            channel.get().resetConnectBackoff();
        }
    }

    private static Optional<ManagedChannel> channelOf(Client client) {
        try {
            var field = client.getClass().getDeclaredField("connectionManager");
            field.setAccessible(true);
            Object manager = field.get(client);
            Method getChannel = manager.getClass().getDeclaredMethod("getChannel");
            getChannel.setAccessible(true);
            return Optional.of((ManagedChannel) getChannel.invoke(manager));
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.info("cannot reach jetcd's gRPC channel ({}): after an etcd outage, reconnecting follows gRPC's backoff", e.toString());
            return Optional.empty();
        }
    }
}
