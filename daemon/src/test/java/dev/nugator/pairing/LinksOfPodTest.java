package dev.nugator.pairing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.store.EmbeddedKvStore;
import dev.nugator.store.StoreView;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pod's links, read through a view of the real embedded store, as nugatord reads them on every ADD. */
class LinksOfPodTest {
    static final PodRef R1 = new PodRef("default", "r1");
    static final PodRef R2 = new PodRef("default", "r2");
    static final PodRef R3 = new PodRef("default", "r3");

    @TempDir
    Path dir;
    StoreView view;
    LinkRegistry registry;

    @BeforeEach
    void open() {
        view = StoreView.over(EmbeddedKvStore.open(dir.resolve("store.db")), Keys.ROOT);
        view.refresh();
        registry = new LinkRegistry(view);
    }

    @AfterEach
    void close() {
        view.close();
    }

    @Test
    void aPodHasTheLinksWithAnEndAtItOnceEachAndFollowsChanges() throws Exception {
        var topology = TopologyTest.parse("""
                name: lab
                links:
                  - {a: {pod: r1, ifname: e1}, b: {pod: r2, ifname: e1}}
                  - {a: {pod: r2, ifname: e2}, b: {pod: r3, ifname: e1}}
                  - {a: {pod: r1, ifname: lo1}, b: {pod: r1, ifname: lo2}}
                """);
        registry.apply(topology);
        var links = topology.links();

        assertThat(registry.linksOf(R1)).as("a link from a pod to itself counts once").containsExactlyInAnyOrder(links.get(0), links.get(2));
        assertThat(registry.linksOf(R2)).containsExactlyInAnyOrder(links.get(0), links.get(1));
        assertThat(registry.linksOf(new PodRef("default", "r9"))).isEmpty();
        assertThat(registry.linksOf(new PodRef("other", "r1"))).as("the namespace is part of the pod").isEmpty();

        var changed = TopologyTest.parse("""
                name: lab
                links:
                  - {a: {pod: r2, ifname: e2}, b: {pod: r3, ifname: e1}}
                  - {a: {pod: r3, ifname: e2}, b: {pod: r1, ifname: e3}}
                """);
        registry.apply(changed);
        var kept = changed.links().get(0);
        var added = changed.links().get(1);
        assertThat(registry.linksOf(R1)).containsExactly(added);
        assertThat(registry.linksOf(R3)).containsExactlyInAnyOrder(kept, added);
        assertThat(registry.linksOf(R2)).containsExactly(kept);
    }
}
