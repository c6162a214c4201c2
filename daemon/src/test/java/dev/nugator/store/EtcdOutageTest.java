package dev.nugator.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The etcd store across a stop and restart of its only member: calls fail promptly meanwhile, watches resume after. */
class EtcdOutageTest {
    @TempDir
    Path dir;

    @Test
    void callsFailPromptlyDuringAnOutageAndAWatchResumesAfterIt() throws Exception {
        EtcdMember.assumeInstalled();
        try (EtcdMember etcd = EtcdMember.plain(dir);
             EtcdKvStore store = EtcdKvStore.open(List.of(etcd.endpoint()))) {
            etcd.start(store);
            var seen = new CopyOnWriteArrayList<String>();
            try (Watch watch = store.watch("/outage/", store.revision(), events -> events.forEach(e -> seen.add(e.kv().text())))) {
                store.put("/outage/k", "before".getBytes(UTF_8));
                EtcdLeaseKeeperTest.awaitTrue(() -> seen.contains("before"), Duration.ofSeconds(5), "the event before the outage");

                etcd.stop();
                long start = System.nanoTime();
                assertThatThrownBy(() -> store.get("/outage/k")).isInstanceOf(StoreUnavailableException.class)
                        .hasMessageContaining("Connection refused");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(EtcdKvStore.DEADLINE.plusSeconds(1));
                Thread.sleep(3000);

                etcd.start(store);
                store.put("/outage/k", "after".getBytes(UTF_8));
                EtcdLeaseKeeperTest.awaitTrue(() -> seen.contains("after"), Duration.ofSeconds(10), "the event after the outage");
            }
            assertThat(seen).containsExactly("before", "after");
        }
    }

    /**
     * gRPC's reconnect backoff grows through an outage (towards two minutes); the store nudges it
     * after each failed call, so once etcd serves again the next call gets through, not only after
     * the backoff. The member's restart is watched through a second, fresh client.
     */
    @Test
    void afterALongerOutageTheStoreReconnectsAtOnce() throws Exception {
        EtcdMember.assumeInstalled();
        try (EtcdMember etcd = EtcdMember.plain(dir);
             EtcdKvStore store = EtcdKvStore.open(List.of(etcd.endpoint()))) {
            etcd.start(store);
            store.put("/outage/k", "v".getBytes(UTF_8));
            etcd.stop();
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < until) {
                assertThatThrownBy(() -> store.get("/outage/k")).isInstanceOf(StoreUnavailableException.class);
                Thread.sleep(200);
            }
            try (EtcdKvStore fresh = EtcdKvStore.open(List.of(etcd.endpoint()))) {
                etcd.start(fresh);
            }
            long back = System.nanoTime();
            while (true) {
                try {
                    assertThat(store.get("/outage/k")).isPresent();
                    break;
                } catch (StoreUnavailableException e) {
                    Thread.sleep(100);
                }
            }
            assertThat(Duration.ofNanos(System.nanoTime() - back)).as("from etcd serving to our store's first answer").isLessThan(Duration.ofSeconds(2));
        }
    }
}
