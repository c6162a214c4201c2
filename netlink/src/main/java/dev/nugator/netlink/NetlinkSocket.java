package dev.nugator.netlink;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * One NETLINK_ROUTE socket: sends a request, reads its replies. Requests are serialized (methods
 * are synchronized), so a reply whose sequence number is not the current request's can only be a
 * late answer to an earlier request that timed out: such replies are dropped, never taken as ours.
 * Every receive is bounded by SO_RCVTIMEO and every request by a deadline.
 */
final class NetlinkSocket implements AutoCloseable {
    /** How a request is written, given the writer and its sequence number. */
    @FunctionalInterface
    interface Encoder {
        MemorySegment encode(MessageWriter writer, int seq);
    }

    private static final int BUFFER_SIZE = 64 * 1024;
    private static final int SOCKADDR_NL_SIZE = 12;
    private static final int NL_PID_OFFSET = 4;
    private static final int DUMP_ATTEMPTS = 5;
    /** A batch's datagram: well under the socket's send buffer, so that the kernel takes it whole. */
    private static final int BATCH_SIZE = 32 * 1024;
    /**
     * Requests per datagram: the kernel answers all of a datagram before we read, and an echoed
     * link is some 2 KiB, so this keeps the answers well inside the receive buffer (ENOBUFS past it).
     */
    private static final int BATCH_REQUESTS = 32;

    private final FileDescriptor fd;
    private final Duration timeout;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment receiveBuffer = arena.allocate(BUFFER_SIZE, 8);
    private final MemorySegment sender = arena.allocate(SOCKADDR_NL_SIZE, 4);
    private final MemorySegment kernel = arena.allocate(SOCKADDR_NL_SIZE, 4);
    private final MessageWriter writer = new MessageWriter(arena.allocate(BUFFER_SIZE, 8));
    private final int portId;
    private int seq;

    private NetlinkSocket(FileDescriptor fd, Duration timeout) {
        this.fd = fd;
        this.timeout = timeout;
        kernel.set(JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
        try {
            this.portId = configure();
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Opens a socket in the calling thread's network namespace; it stays bound to it for life. */
    static NetlinkSocket open(Duration timeout) {
        int number = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.NETLINK_ROUTE);
        FileDescriptor fd = new FileDescriptor(number, "netlink socket");
        try {
            return new NetlinkSocket(fd, timeout);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** Sends a request that wants an ACK and waits for it; a kernel error becomes the exception. */
    synchronized void execute(String operation, Encoder encoder) {
        int requestSeq = send(encoder);
        readReplies(operation, requestSeq, message -> {
            if (message.type() == NlMsgHdr.NLMSG_ERROR) {
                ReplyHandler.throwIfError(operation, receiveBuffer, message);
                return true;
            }
            return false;
        });
    }

    /**
     * Sends a request that wants an ACK and returns the kernel's errno (0: done) when it is one of
     * {@code expected}, the answers that mean "nothing to do" to the caller; any other refusal
     * throws as {@link #execute} does. No exception is made for an expected answer: some come for
     * most requests of a kind (deleting what is often not there), and exceptions are costly.
     */
    synchronized int executeExpecting(String operation, Encoder encoder, Set<Errno> expected) {
        int requestSeq = send(encoder);
        int[] errno = {0};
        readReplies(operation, requestSeq, message -> {
            if (message.type() != NlMsgHdr.NLMSG_ERROR) {
                return false;
            }
            errno[0] = ReplyHandler.errnoIfExpected(operation, receiveBuffer, message, expected);
            return true;
        });
        return errno[0];
    }

    /**
     * Sends a change with NLM_F_ECHO and waits for its ACK; returns the first message of
     * {@code replyType} the kernel echoed before it, decoded, or null when it echoed nothing (a
     * kernel that does not echo this request).
     */
    synchronized <T> T executeEchoed(String operation, Encoder encoder, int replyType,
                                     BiFunction<MemorySegment, NlMsgHdr, T> decoder) {
        int requestSeq = send(encoder);
        List<T> echo = new ArrayList<>(1);
        readReplies(operation, requestSeq, message -> {
            if (message.type() == NlMsgHdr.NLMSG_ERROR) {
                ReplyHandler.throwIfError(operation, receiveBuffer, message);
                return true;
            }
            if (message.type() == replyType && echo.isEmpty()) {
                echo.add(decoder.apply(receiveBuffer, message));
            }
            return false;
        });
        return echo.isEmpty() ? null : echo.getFirst();
    }

    /**
     * Sends changes that want an ACK (with NLM_F_ECHO where their encoders set it) several to a
     * datagram, and waits for all their ACKs. The kernel runs each request of a datagram on its
     * own, in order, so one refused does not stop the next. Returns, per request in order, the
     * first message of {@code replyType} echoed for it (null when none came) or the kernel's
     * refusal.
     */
    synchronized <T> List<Outcome<T>> executeBatch(List<String> operations, List<Encoder> encoders, int replyType,
                                                   BiFunction<MemorySegment, NlMsgHdr, T> decoder) {
        var results = new ArrayList<Outcome<T>>(encoders.size());
        int next = 0;
        while (next < encoders.size()) {
            if (seq > Integer.MAX_VALUE - BATCH_SIZE) {
                seq = 0;   // a batch's sequence numbers never wrap: its replies are told apart by their offset
            }
            int first = seq + 1;
            int count = sendBatch(encoders, next);
            readBatch(operations.subList(next, next + count), first, replyType, decoder, results);
            next += count;
        }
        return results;
    }

    /** Sends encoders from {@code from} on, as many as fit in a datagram (at least one); returns how many. */
    private int sendBatch(List<Encoder> encoders, int from) {
        int number = fd.get();
        try (Arena batch = Arena.ofConfined()) {
            MemorySegment datagram = batch.allocate(BATCH_SIZE, 8);
            long at = 0;
            int count = 0;
            while (from + count < encoders.size() && count < BATCH_REQUESTS) {
                int next = seq + 1;
                MemorySegment request = encoders.get(from + count).encode(writer, next);
                if (count > 0 && at + request.byteSize() > BATCH_SIZE) {
                    break;
                }
                if (request.byteSize() > BATCH_SIZE) {
                    throw new IllegalArgumentException("a netlink request of " + request.byteSize() + " bytes does not fit a datagram");
                }
                MemorySegment.copy(request, 0, datagram, at, request.byteSize());
                at += NlMsgHdr.align((int) request.byteSize());
                seq = next;
                count++;
            }
            Libc.sendto(number, datagram.asSlice(0, at), kernel);
            return count;
        }
    }

    /** Reads until each of the {@code count} requests from sequence number {@code first} on is answered. */
    private <T> void readBatch(List<String> operations, int first, int replyType,
                               BiFunction<MemorySegment, NlMsgHdr, T> decoder, List<Outcome<T>> results) {
        int count = operations.size();
        String operation = operations.getFirst() + (count > 1 ? " and " + (count - 1) + " more" : "");
        var echoes = new ArrayList<T>(Collections.nCopies(count, null));
        var refusals = new NetlinkException[count];
        var answered = new boolean[count];
        long deadline = System.nanoTime() + timeout.toNanos();
        int[] open = {count};
        while (open[0] > 0) {
            eachMessage(operation, receive(operation, deadline), message -> {
                int i = message.seq() - first;
                if (message.pid() == portId && i >= 0 && i < count && !answered[i]) {
                    if (message.type() == NlMsgHdr.NLMSG_ERROR) {
                        try {
                            ReplyHandler.throwIfError(operations.get(i), receiveBuffer, message);
                        } catch (NetlinkException refused) {
                            refusals[i] = refused;
                        }
                        answered[i] = true;
                        open[0]--;
                    } else if (message.type() == replyType && echoes.get(i) == null) {
                        echoes.set(i, decoder.apply(receiveBuffer, message));
                    }
                }
                return false;
            });
        }
        for (int i = 0; i < count; i++) {
            results.add(refusals[i] == null ? Outcome.done(echoes.get(i)) : Outcome.refused(refusals[i]));
        }
    }

    /** Sends a plain GET and decodes its one reply of {@code replyType}. */
    synchronized <T> T get(String operation, Encoder encoder, int replyType,
                           BiFunction<MemorySegment, NlMsgHdr, T> decoder) {
        return get(operation, encoder, replyType, decoder, Set.of());
    }

    /**
     * The same, with null for an error in {@code absent} (ENODEV for a device that is not there):
     * an answer the caller expects, not worth an exception (a pass looks for ports and tunnels that
     * are often not there yet).
     */
    synchronized <T> T get(String operation, Encoder encoder, int replyType,
                           BiFunction<MemorySegment, NlMsgHdr, T> decoder, Set<Errno> absent) {
        int requestSeq = send(encoder);
        List<T> reply = new ArrayList<>(1);
        readReplies(operation, requestSeq, message -> {
            if (message.type() == NlMsgHdr.NLMSG_ERROR) {
                ReplyHandler.errnoIfExpected(operation, receiveBuffer, message, absent);
                return true;
            }
            if (message.type() == replyType) {
                reply.add(decoder.apply(receiveBuffer, message));
                return true;
            }
            return false;
        });
        return reply.isEmpty() ? null : reply.getFirst();
    }

    /**
     * Runs a dump to NLMSG_DONE and decodes each entry of {@code entryType}. When the kernel flags
     * the dump as interrupted (the table changed under it), the whole dump is read again.
     */
    synchronized <T> List<T> dump(String operation, Encoder encoder, int entryType,
                                  BiFunction<MemorySegment, NlMsgHdr, T> decoder) {
        for (int attempt = 1; ; attempt++) {
            DumpReader<T> reader = new DumpReader<>(operation, receiveBuffer, entryType, decoder);
            readReplies(operation, send(encoder), reader);
            if (!reader.interrupted()) {
                return reader.entries();
            }
            if (attempt == DUMP_ATTEMPTS) {
                throw new NetlinkException(operation, Errno.EAGAIN.number(),
                        "dump interrupted " + DUMP_ATTEMPTS + " times by concurrent changes");
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!fd.isOpen()) {
            return;
        }
        try {
            fd.close();
        } finally {
            arena.close();
        }
    }

    boolean isOpen() {
        return fd.isOpen();
    }

    private int configure() {
        int number = fd.get();
        try (Arena call = Arena.ofConfined()) {
            MemorySegment on = call.allocateFrom(JAVA_INT, 1);
            // Extended acks carry the kernel's reason text; capped acks keep errors small.
            Libc.setsockopt(number, Libc.SOL_NETLINK, Libc.NETLINK_EXT_ACK, on);
            Libc.setsockopt(number, Libc.SOL_NETLINK, Libc.NETLINK_CAP_ACK, on);
            Libc.setsockopt(number, Libc.SOL_NETLINK, Libc.NETLINK_GET_STRICT_CHK, on);
            MemorySegment timeval = call.allocate(16, 8);
            timeval.set(JAVA_LONG, 0, timeout.toSeconds());
            timeval.set(JAVA_LONG, 8, timeout.toMillisPart() * 1000L);
            Libc.setsockopt(number, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeval);
            Libc.setsockopt(number, Libc.SOL_SOCKET, Libc.SO_SNDTIMEO, timeval);
            MemorySegment self = call.allocate(SOCKADDR_NL_SIZE, 4);
            self.set(JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
            Libc.bind(number, self);
            Libc.getsockname(number, self);
            return self.get(JAVA_INT_UNALIGNED, NL_PID_OFFSET);
        }
    }

    private int send(Encoder encoder) {
        int number = fd.get();
        seq = seq == Integer.MAX_VALUE ? 1 : seq + 1;
        MemorySegment request = encoder.encode(writer, seq);
        Libc.sendto(number, request, kernel);
        return seq;
    }

    /** Reads datagrams until {@code handler} says the reply to {@code requestSeq} is complete. */
    private void readReplies(String operation, int requestSeq, ReplyHandler handler) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean complete = false;
        while (!complete) {
            complete = eachMessage(operation, receive(operation, deadline),
                    message -> message.seq() == requestSeq && message.pid() == portId && handler.handle(message));
        }
    }

    /**
     * Hands each message of the datagram of {@code length} bytes in the receive buffer to
     * {@code handler}, until it says it is done; returns whether it did.
     */
    private boolean eachMessage(String operation, int length, ReplyHandler handler) {
        long at = 0;
        while (at + NlMsgHdr.SIZE <= length) {
            NlMsgHdr message = new NlMsgHdr(receiveBuffer, at);
            if (message.length() < NlMsgHdr.SIZE || at + message.length() > length) {
                throw new NetlinkException(operation, Errno.EBADMSG.number(), "malformed reply");
            }
            if (handler.handle(message)) {
                return true;
            }
            at += NlMsgHdr.align(message.length());
        }
        return false;
    }

    private int receive(String operation, long deadline) {
        while (true) {
            if (System.nanoTime() - deadline > 0) {
                throw timedOut(operation);
            }
            long length;
            try {
                length = Libc.recvfrom(fd.get(), receiveBuffer, Libc.MSG_TRUNC, sender);
            } catch (NetlinkException e) {
                if (e.is(Errno.EINTR)) {
                    continue;
                }
                throw e.is(Errno.EAGAIN) ? timedOut(operation) : e;
            }
            if (length > BUFFER_SIZE) {
                throw new NetlinkException(operation, Errno.EMSGSIZE.number(),
                        "reply of " + length + " bytes truncated to " + BUFFER_SIZE);
            }
            // Only the kernel (port 0) answers requests; anything else is not ours to read.
            if (sender.get(JAVA_INT_UNALIGNED, NL_PID_OFFSET) == 0) {
                return (int) length;
            }
        }
    }

    private NetlinkException timedOut(String operation) {
        return new NetlinkException(operation, Errno.ETIMEDOUT.number(), "no reply within " + timeout);
    }
}
