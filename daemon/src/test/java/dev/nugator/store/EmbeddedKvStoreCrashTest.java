package dev.nugator.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a process in the middle of a stream of transactions: every transaction it reported
 * as done is in the file afterwards, every transaction is all or nothing, and the store works.
 */
class EmbeddedKvStoreCrashTest {
    static final String PREFIX = "crash/";
    private static final Pattern ACK = Pattern.compile("acked (\\d+) end");
    private static final int ACKS_BEFORE_KILL = 300;
    private static final Duration CHILD_DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    static String key(long n, String half) {
        return PREFIX + String.format("%08d", n) + "/" + half;
    }

    static String value(long n) {
        return "value of pair " + n;
    }

    @Test
    void everyAcknowledgedTransactionSurvivesKillMinus9() throws Exception {
        Path file = dir.resolve("store.db");
        var acked = new ConcurrentSkipListSet<Long>();
        for (int round = 1; round <= 2; round++) {
            writeUntilKilled(file, acked, round);
            assertEveryAckedPairIsWhole(file, acked);
        }
        try (var store = EmbeddedKvStore.open(file)) {
            long before = store.revision();
            assertThat(store.put("after/crash", "works".getBytes(StandardCharsets.UTF_8))).isEqualTo(before + 1);
            assertThat(store.get("after/crash")).isPresent();
        }
    }

    private void writeUntilKilled(Path file, Set<Long> acked, int round) throws Exception {
        Path stderr = dir.resolve("child-" + round + ".err");
        Process child = startChild(file, stderr);
        int target = acked.size() + ACKS_BEFORE_KILL;
        try {
            Thread reader = Thread.ofVirtual().start(() -> collectAcks(child, acked));
            waitFor(() -> acked.size() >= target || !child.isAlive());
            assertThat(child.isAlive()).as("the writer runs until killed; its stderr:%n%s", Files.readString(stderr)).isTrue();
            child.destroyForcibly();
            assertThat(child.waitFor(CHILD_DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            reader.join(CHILD_DEADLINE);
            assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        } finally {
            child.destroyForcibly();
        }
    }

    private static Process startChild(Path file, Path stderr) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // SQLite unpacks its native library; a killed child would leave it behind, so not in /tmp
        String sqliteTmp = "-Dorg.sqlite.tmpdir=" + file.getParent();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", sqliteTmp,
                "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(), file.toString())
                .redirectError(stderr.toFile())
                .start();
    }

    /** Counts a pair only from a whole line: a line cut short by the kill proves nothing. */
    private static void collectAcks(Process child, Set<Long> acked) {
        try (var lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                var ack = ACK.matcher(line);
                if (ack.matches()) {
                    acked.add(Long.parseLong(ack.group(1)));
                }
            }
        } catch (IOException e) {
            // the pipe breaks when the child is killed: what was read so far is the record
        }
    }

    private static void assertEveryAckedPairIsWhole(Path file, Set<Long> acked) {
        try (var store = EmbeddedKvStore.open(file)) {
            List<String> keys = store.range(PREFIX).stream().map(KeyValue::key).toList();
            long pairs = keys.size() / 2;
            assertThat(keys).as("whole pairs, none missing").isEqualTo(expectedKeys(pairs));
            assertThat(store.revision()).as("one revision per committed pair").isEqualTo(pairs);
            for (long n : acked) {
                assertThat(store.get(key(n, "a"))).as("pair %d half a", n).hasValueSatisfying(kv -> assertThat(kv.text()).isEqualTo(value(n)));
                assertThat(store.get(key(n, "b"))).as("pair %d half b", n).hasValueSatisfying(kv -> assertThat(kv.text()).isEqualTo(value(n)));
            }
            System.out.printf("after kill -9: %d pairs acknowledged, %d in the file%n", acked.size(), pairs);
        }
    }

    private static List<String> expectedKeys(long pairs) {
        return LongStream.range(0, pairs).boxed().flatMap(n -> Stream.of(key(n, "a"), key(n, "b"))).toList();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + CHILD_DEADLINE.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }
}
