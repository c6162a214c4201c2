package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.Dist;
import dev.nugator.testkit.Json;
import dev.nugator.testkit.Names;
import dev.nugator.testkit.Netns;
import dev.nugator.testkit.NugatorNode;
import dev.nugator.testkit.Pod;
import dev.nugator.testkit.Proc;
import dev.nugator.testkit.ProcResult;
import dev.nugator.testkit.RootIntegrationTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A hostile local caller against nugatord's limits, reproduced with real processes and sockets:
 * callers that announce large requests and stall, callers that hold idle connections, and a
 * --socket path that holds somebody's file. Real ADD and DEL calls through the shim must succeed
 * meanwhile, and the daemon's memory must stay bounded. Nothing here asserts timing.
 */
@RootIntegrationTest
class DaemonLimitsTest {
    @RegisterExtension
    static final NugatorNode NODE = NugatorNode.create();

    private static final Duration REPLY_LIMIT = Duration.ofSeconds(30);
    private static final int MIB = 1024 * 1024;
    /**
     * Generous: nugatord keeps at most 32 MiB of request bodies, and its heap sizes itself around that
     * (45 to 75 MiB of growth measured here); reading every announced body whole grew it by 250 MiB.
     */
    private static final long MEMORY_GROWTH_LIMIT = 128L * MIB;

    @Test
    void stalledLargeRequestsAreShedWhileRealCallsSucceedInBoundedMemory() throws Exception {
        resetPeakMemory();
        long rssBefore = memoryKib("VmRSS") * 1024;
        try (var attackers = new Attackers()) {
            // each announces the 4 MiB limit, sends 512 KiB and stalls: 50 MiB in all, 400 MiB announced
            var replies = attackers.sendLargeAndStall(100, 4 * MIB, MIB / 2);
            attackers.awaitSent();

            addAndDelete();

            var answers = replies.stream().map(CompletableFuture::join).toList();
            assertThat(NODE.daemon().log()).doesNotContain("OutOfMemoryError");
            assertThat(memoryKib("VmHWM") * 1024 - rssBefore).as("growth of nugatord's peak resident memory, bytes")
                    .isLessThan(MEMORY_GROWTH_LIMIT);
            assertThat(answers).as("every stalled caller is refused or cut off by a deadline, never answered otherwise")
                    .allSatisfy(a -> a.ifPresent(DaemonLimitsTest::assertOverloaded));
            assertThat(answers.stream().filter(Optional::isPresent).count()).as("callers refused with code 11").isPositive();
        }
    }

    @Test
    void aRealAddSucceedsWhileAnAttackerHoldsAllTheIdleConnectionsItCanOpen() throws Exception {
        try (var attackers = new Attackers()) {
            int held = attackers.openIdle(3000);

            addAndDelete();

            assertThat(held).as("idle connections the attacker opened (nugatord serves at most 1024)").isGreaterThan(1200);
        }
        assertThat(NODE.daemon().isAlive()).isTrue();
    }

    @Test
    void aRegularFileAtTheSocketPathIsKeptAndNugatordRefusesToStart() throws IOException {
        Path file = Files.writeString(NODE.tempDir().resolve("precious.sock"), "not a socket");

        ProcResult start = startNugatordOn(file);

        assertRefusedStart(start, file, "a regular file");
        assertThat(file).hasContent("not a socket");
    }

    @Test
    void aDirectoryAtTheSocketPathIsKeptAndNugatordRefusesToStart() throws IOException {
        Path dir = Files.createDirectory(NODE.tempDir().resolve("dir.sock"));

        assertRefusedStart(startNugatordOn(dir), dir, "a directory");
        assertThat(dir).isDirectory();
    }

    @Test
    void aSymbolicLinkAtTheSocketPathIsKeptAndNugatordRefusesToStart() throws IOException {
        Path target = Files.writeString(NODE.tempDir().resolve("target"), "x");
        Path link = Files.createSymbolicLink(target.resolveSibling("link.sock"), target);

        assertRefusedStart(startNugatordOn(link), link, "a symbolic link to " + target);
        assertThat(link).isSymbolicLink();
        assertThat(target).hasContent("x");
    }

    private static void addAndDelete() {
        var net = TestNetwork.create(NODE, "1.0.0").bridge();
        Pod pod = NODE.pod();
        net.add(pod).requireSuccess();
        net.del(pod).requireSuccess();
    }

    private static void assertOverloaded(RawSocket.Reply reply) {
        assertThat(reply.exitCode()).as(reply.stdout()).isEqualTo(1);
        var error = Json.parse(reply.stdout());
        assertThat(error.path("code").asInt()).as(reply.stdout()).isEqualTo(11);
        assertThat(error.path("msg").asText()).contains("nugatord is overloaded");
    }

    /** nugatord started by hand on {@code socket}, with its own state dir and a panel namespace removed after the test. */
    private static ProcResult startNugatordOn(Path socket) {
        Path dir = NODE.tempDir();
        Netns panel = NODE.track(Netns.adopt(Names.unique("ntpanel")));
        var command = List.of(Dist.nugatord().toString(), "--socket", socket.toString(), "--state-dir",
                dir.resolve("state").toString(), "--panel-netns", panel.path().toString());
        // a nugatord that took the path would serve until killed: the deadline ends it and fails the test
        return Proc.of(NODE.node().netns().enterArgs(command)).deadline(Duration.ofSeconds(60)).run();
    }

    private static void assertRefusedStart(ProcResult start, Path path, String what) {
        assertThat(start.exitCode()).as(start.describe()).isEqualTo(1);
        assertThat(start.stderr()).as(start.describe()).contains(path.toString()).contains(what).contains("not a socket");
    }

    /** From now on VmHWM is the peak of what follows, not of nugatord's start-up (proc(5), clear_refs). */
    private static void resetPeakMemory() throws IOException {
        Files.writeString(Path.of("/proc", Long.toString(NODE.daemon().pid()), "clear_refs"), "5");
    }

    /** A line of /proc/PID/status of the shared nugatord, in KiB. */
    private static long memoryKib(String field) {
        try {
            String status = Files.readString(Path.of("/proc", Long.toString(NODE.daemon().pid()), "status"));
            Matcher m = Pattern.compile("(?m)^" + field + ":\\s+(\\d+) kB").matcher(status);
            assertThat(m.find()).as(field + " in " + status).isTrue();
            return Long.parseLong(m.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Raw connections of the hostile caller, the stalling ones each on a virtual thread; all closed at the end. */
    private static final class Attackers implements AutoCloseable {
        private final List<RawSocket> sockets = new ArrayList<>();
        private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        private CountDownLatch sent = new CountDownLatch(0);

        /**
         * {@code count} callers that announce {@code declared} body bytes, send {@code bytes} of them and
         * stall; each future ends with nugatord's reply, or empty when it closed the connection without one.
         */
        List<CompletableFuture<Optional<RawSocket.Reply>>> sendLargeAndStall(int count, int declared, int bytes) throws IOException {
            sent = new CountDownLatch(count);
            var replies = new ArrayList<CompletableFuture<Optional<RawSocket.Reply>>>();
            for (int i = 0; i < count; i++) {
                var raw = RawSocket.connect(NODE.socket());
                sockets.add(raw);
                replies.add(CompletableFuture.supplyAsync(() -> stall(raw, declared, bytes), threads));
            }
            return replies;
        }

        private Optional<RawSocket.Reply> stall(RawSocket raw, int declared, int bytes) {
            try {
                raw.write(RawSocket.header(1, RawSocket.KIND_REQUEST, declared)).write(new byte[bytes]);
            } catch (IOException refusedMidway) {
                // nugatord answered and closed before taking it all; its answer is still there to read
            } finally {
                sent.countDown();
            }
            try {
                return raw.readReply(REPLY_LIMIT);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Until every staller has written what it writes: nugatord took it in, or refused it. */
        void awaitSent() throws InterruptedException {
            assertThat(sent.await(REPLY_LIMIT.toSeconds(), TimeUnit.SECONDS)).as("the stalling callers could send").isTrue();
        }

        /** Opens idle connections until {@code most} are open or nugatord takes no more; returns how many. */
        int openIdle(int most) throws IOException {
            int refusedInARow = 0;
            while (sockets.size() < most && refusedInARow < 100_000) {
                Optional<RawSocket> raw = RawSocket.tryConnect(NODE.socket());
                raw.ifPresent(sockets::add);
                refusedInARow = raw.isPresent() ? 0 : refusedInARow + 1;
                if (raw.isEmpty()) {
                    Thread.yield(); // let nugatord's accept loop drain its backlog, if it still does
                }
            }
            return sockets.size();
        }

        @Override
        public void close() throws IOException {
            for (var raw : sockets) {
                raw.close();
            }
            threads.shutdownNow();
        }
    }
}
