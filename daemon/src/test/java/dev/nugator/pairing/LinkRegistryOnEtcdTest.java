package dev.nugator.pairing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.cni.Json;
import dev.nugator.store.EtcdKvStore;
import dev.nugator.store.EtcdMember;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry and the VNI allocator against a real etcd with its default limits: a topology far
 * bigger than etcd's 128 operations per transaction is applied and deleted whole, and VNIs
 * allocated by many threads at once are all distinct and all freed with their links.
 */
class LinkRegistryOnEtcdTest {
    @TempDir Path dir;

    static Topology ring(int links) throws Exception {
        var json = Json.MAPPER.createObjectNode().put("name", "big");
        var array = json.putArray("links");
        for (int i = 0; i < links; i++) {
            var link = array.addObject();
            link.putObject("a").put("pod", "p" + i).put("ifname", "e0").put("ipv4", "10." + (i / 250) + "." + (i % 250) + ".1/30");
            link.putObject("b").put("pod", "p" + ((i + 1) % links)).put("ifname", "e1").put("ipv4", "10." + (i / 250) + "." + (i % 250) + ".2/30");
        }
        return Topology.parse(json);
    }

    @Test
    void aTopologyBiggerThanOneTransactionAndItsVnisComeAndGoWhole() throws Exception {
        EtcdMember.assumeInstalled();
        try (var etcd = EtcdMember.plain(dir); var store = EtcdKvStore.open(List.of(etcd.endpoint()))) {
            etcd.start(store);
            var registry = new LinkRegistry(store);
            var topology = ring(300);
            registry.apply(topology);
            assertThat(store.range(Keys.LINKS)).hasSize(300);
            assertThat(registry.topologyLinks("big")).hasSize(300);

            var vnis = new VniAllocator(store);
            var tasks = new ArrayList<Callable<Integer>>();
            for (var link : topology.links()) {
                tasks.add(() -> vnis.allocate(link.id()));
                tasks.add(() -> vnis.allocate(link.id()));   // a second node asking for the same link
            }
            var allocated = new HashSet<Integer>();
            try (var pool = Executors.newFixedThreadPool(16)) {
                for (var future : pool.invokeAll(tasks)) {
                    allocated.add(future.get());
                }
            }
            assertThat(allocated).hasSize(300);
            assertThat(store.range(Keys.VNIS)).hasSize(300);

            registry.deleteTopology("big");
            assertThat(store.range(Keys.LINKS)).isEmpty();
            assertThat(store.range(Keys.VNIS)).isEmpty();
            assertThat(store.range(Keys.LINK_VNIS)).isEmpty();
            assertThat(registry.topologyNames()).isEmpty();
        }
    }
}
