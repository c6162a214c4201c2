package dev.nugator.pairing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nugator.netlink.NetnsPath;
import dev.nugator.store.EmbeddedKvStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes that meet a stored record they cannot read: they do what is safe for that record and go on with the others. */
class StoredRecordsWritesTest {
    @TempDir
    Path dir;
    EmbeddedKvStore store;
    LinkRegistry registry;

    @BeforeEach
    void open() {
        store = EmbeddedKvStore.open(dir.resolve("store.db"));
        registry = new LinkRegistry(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    void put(String key, String value) {
        store.put(key, value.getBytes(UTF_8));
    }

    @Test
    void aTopologyWhoseRecordCannotBeReadIsStillReplacedAndDeletedWhole() throws Exception {
        registry.apply(TopologyTest.parse("name: lab\nlinks: [{a: {pod: r1, ifname: e1}, b: {pod: r2, ifname: e1}},"
                + " {a: {pod: r1, ifname: e2}, b: {pod: r3, ifname: e1}}]"));
        put(Keys.topology("lab"), "{\"name\": \"lab\", \"links\": \"not a list\"}");

        int removed = registry.apply(TopologyTest.parse("name: lab\nlinks: [{a: {pod: r1, ifname: e1}, b: {pod: r2, ifname: e1}}]"));

        assertThat(removed).isEqualTo(1);
        assertThat(registry.links()).hasSize(1);
        assertThat(registry.deleteTopology("lab")).isEqualTo(1);
        assertThat(registry.links()).isEmpty();
    }

    @Test
    void aLinkWhoseVniRecordCannotBeReadGetsNoOtherButIsStillDeletedWithIt() throws Exception {
        var topology = TopologyTest.parse("name: lab\nlinks: [{a: {pod: r1, ifname: e1}, b: {pod: r2, ifname: e1}},"
                + " {a: {pod: r1, ifname: e2}, b: {pod: r3, ifname: e1}}]");
        registry.apply(topology);
        var vnis = new VniAllocator(store);
        String broken = topology.links().get(0).id();
        String fine = topology.links().get(1).id();
        int vni = vnis.allocate(broken);
        put(Keys.linkVni(broken), "four thousand");
        vnis.forgetAll();

        assertThat(vnis.find(broken)).isEmpty();
        assertThatThrownBy(() -> vnis.allocate(broken)).hasMessageContaining(Keys.linkVni(broken)).hasMessageContaining("cannot be read");
        assertThat(vnis.allocate(fine)).isNotEqualTo(vni);

        registry.deleteTopology("lab");
        assertThat(store.range(Keys.LINK_VNIS)).isEmpty();
        assertThat(store.range(Keys.VNIS)).isEmpty();
    }

    @Test
    void aCursorLeftByAnEarlierReleaseIsIgnoredEvenUnreadable() throws Exception {
        registry.apply(TopologyTest.parse("links: [{a: {pod: r1, ifname: e1}, b: {pod: r2, ifname: e1}}]"));
        put(Keys.VNI_NEXT, "-");
        String id = registry.links().getFirst().id();

        assertThat(new VniAllocator(store).allocate(id)).isEqualTo(VniAllocator.home(id));
    }

    @Test
    void aDelLeavesAPodRecordItCannotReadAlone() {
        var pod = new PodRef("default", "r1");
        put(Keys.pod(pod), "{\"pod\": \"default/r1\", \"containerId\": \"c1\"}");

        assertThat(registry.detach(pod, "c1")).isEmpty();
        assertThat(store.get(Keys.pod(pod))).isPresent();

        var fresh = new PodAttachment(pod, "c2", NetnsPath.parse("netns", "/run/netns/p"), "node1", "net");
        registry.attach(fresh);   // the next ADD writes it anew
        assertThat(registry.attachment(pod)).hasValue(fresh);
        assertThat(registry.unreadable()).isEmpty();
    }
}
