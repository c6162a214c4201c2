package dev.nugator.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The child process of {@link EmbeddedKvStoreCrashTest}: writes pairs of keys, one transaction per
 * pair, and prints {@code acked N} on stdout after each transaction returned, until it is killed.
 * It continues after the pairs already in the store, so it can be started again on the same file.
 */
public final class CrashWriter {
    private CrashWriter() {}

    public static void main(String[] args) {
        var store = EmbeddedKvStore.open(Path.of(args[0]));
        for (long n = store.range(EmbeddedKvStoreCrashTest.PREFIX).size() / 2; ; n++) {
            byte[] value = EmbeddedKvStoreCrashTest.value(n).getBytes(StandardCharsets.UTF_8);
            var result = store.txn(List.of(new Compare.Absent(EmbeddedKvStoreCrashTest.key(n, "a"))),
                    List.of(new Op.Put(EmbeddedKvStoreCrashTest.key(n, "a"), value), new Op.Put(EmbeddedKvStoreCrashTest.key(n, "b"), value)),
                    List.of());
            if (!result.succeeded()) {
                throw new IllegalStateException("pair " + n + " already exists");
            }
            System.out.println("acked " + n + " end");
            System.out.flush();
        }
    }
}
