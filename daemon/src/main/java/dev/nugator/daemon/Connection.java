package dev.nugator.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;

/**
 * One accepted client: its socket, the user it runs as, whether its whole request has arrived, and
 * the deadline of what it is doing now. A missed deadline closes the socket, which ends any read
 * or write blocked on it. Closing is safe twice and from any thread.
 */
final class Connection implements AutoCloseable {
    private final SocketChannel channel;
    private final String peer;
    private final ScheduledExecutorService timers;
    private boolean started;
    private ScheduledFuture<?> deadline;

    Connection(SocketChannel channel, String peer, ScheduledExecutorService timers) {
        this.channel = channel;
        this.peer = peer;
        this.timers = timers;
    }

    /** A connection just accepted, with the user the client runs as (as the kernel saw it connect). */
    static Connection accepted(SocketChannel channel, ScheduledExecutorService timers) {
        return new Connection(channel, peerOf(channel), timers);
    }

    /** SO_PEERCRED through the JDK gives the uid and gid only, not the pid, so caps count users, not processes. */
    private static String peerOf(SocketChannel channel) {
        try {
            return channel.getOption(ExtendedSocketOptions.SO_PEERCRED).user().getName();
        } catch (IOException | UnsupportedOperationException e) {
            return "an unknown user";
        }
    }

    /** The user the client runs as (its name, or its uid when it has none): what the per-user cap counts. */
    String peer() {
        return peer;
    }

    InputStream input() {
        return Channels.newInputStream(channel);
    }

    OutputStream output() {
        return Channels.newOutputStream(channel);
    }

    SocketChannel channel() {
        return channel;
    }

    /** Until its request is whole a client costs a slot and gives nothing: such a one may be closed for a newcomer. */
    synchronized boolean isWaiting() {
        return !started && channel.isOpen();
    }

    synchronized void markStarted() {
        started = true;
    }

    /** Replaces the current deadline: the socket is closed {@code within} from now unless another call comes first. */
    synchronized void expireIn(Duration within) {
        cancelDeadline();
        try {
            deadline = timers.schedule(this::close, within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // nugatord is stopping and has stopped its timers: the drain deadline bounds this client now
        }
    }

    /** No deadline here: the command that runs now keeps its own (--command-timeout). */
    synchronized void expireNever() {
        cancelDeadline();
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    public void close() {
        expireNever();
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to do for a socket that will not close
        }
    }

    @Override
    public String toString() {
        return "connection of " + peer;
    }
}
