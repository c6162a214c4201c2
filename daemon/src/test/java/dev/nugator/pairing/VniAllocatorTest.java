package dev.nugator.pairing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.netlink.NetnsPath;
import dev.nugator.store.EmbeddedKvStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VNIs drawn from link ids, claimed alone or in a pod's attach transaction, on the real embedded store. */
class VniAllocatorTest {
    @TempDir
    Path dir;
    EmbeddedKvStore store;
    LinkRegistry registry;
    VniAllocator vnis;

    @BeforeEach
    void open() {
        store = EmbeddedKvStore.open(dir.resolve("store.db"));
        registry = new LinkRegistry(store);
        vnis = new VniAllocator(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private List<String> links(String yaml) throws Exception {
        registry.apply(TopologyTest.parse(yaml));
        return registry.links().stream().map(LinkSpec::id).toList();
    }

    @Test
    void aLinkGetsItsHomeVniAndGetsItBackWhenMadeAgain() throws Exception {
        String id = links("name: lab\nlinks: [{a: {pod: r1, ifname: e1}, b: {pod: r2, ifname: e1}}]").getFirst();
        int vni = vnis.allocate(id);
        assertThat(vni).isEqualTo(VniAllocator.home(id)).isBetween(VniAllocator.FIRST, VniAllocator.LAST);

        registry.deleteTopology("lab");
        vnis.forget(id);
        assertThat(store.range(Keys.VNIS)).isEmpty();
        links("name: lab\nlinks: [{a: {pod: r1, ifname: e1}, b: {pod: r2, ifname: e1}}]");
        assertThat(vnis.allocate(id)).isEqualTo(vni);
    }

    @Test
    void aHomeVniHeldByAnotherLinkIsPassedOver() throws Exception {
        String id = links("links: [{a: {pod: r1, ifname: e1}, b: {pod: r2, ifname: e1}}]").getFirst();
        int home = VniAllocator.home(id);
        store.put(Keys.vni(home), "someone-else".getBytes(StandardCharsets.UTF_8));

        assertThat(vnis.allocate(id)).isEqualTo(home == VniAllocator.LAST ? VniAllocator.FIRST : home + 1);
    }

    @Test
    void anAttachClaimsItsLinksVnisInOneTransactionAndFailsWholeWhenOneIsTaken() throws Exception {
        var ids = links("links: [{a: {pod: r1, ifname: e1}, b: {pod: r2, ifname: e1}}, {a: {pod: r1, ifname: e2}, b: {pod: r3, ifname: e1}}]");
        var r1 = new PodAttachment(new PodRef("default", "r1"), "c1", NetnsPath.parse("netns", "/run/netns/r1"), "node1");

        var claims = vnis.propose(ids);
        assertThat(claims.claims()).extracting(VniClaims.Claim::vni).doesNotHaveDuplicates();
        var second = vnis.propose(List.of(ids.getFirst()));
        assertThat(second.claims().getFirst().vni()).as("not what a caller here is still claiming")
                .isNotEqualTo(claims.claims().getFirst().vni());
        vnis.settle(second);

        // another node takes the second link's VNI first: nothing of the attach is written
        store.put(Keys.vni(claims.claims().get(1).vni()), "another-link".getBytes(StandardCharsets.UTF_8));
        assertThat(registry.attach(r1, claims, PeerRecords.NONE)).isEmpty();
        vnis.settle(claims);
        assertThat(registry.attachment(r1.pod())).isEmpty();
        assertThat(store.get(Keys.linkVni(ids.getFirst()))).isEmpty();

        var again = vnis.propose(ids);
        assertThat(registry.attach(r1, again, PeerRecords.NONE)).isPresent();
        vnis.claimed(again);
        vnis.settle(again);
        assertThat(registry.attachment(r1.pod())).isPresent();
        for (var claim : again.claims()) {
            assertThat(vnis.find(claim.linkId())).contains(claim.vni());
            assertThat(new String(store.get(Keys.vni(claim.vni())).orElseThrow().value(), StandardCharsets.UTF_8)).isEqualTo(claim.linkId());
        }
        vnis.forgetAll();
        assertThat(vnis.find(ids.get(1))).contains(again.claims().get(1).vni());
    }

    @Test
    void anAttachThatDecidedByAPeerFailsWhenThePeerIsRecordedMeanwhile() throws Exception {
        var ids = links("links: [{a: {pod: r1, ifname: e1}, b: {pod: r2, ifname: e1}}]");
        var r1 = new PodAttachment(new PodRef("default", "r1"), "c1", NetnsPath.parse("netns", "/run/netns/r1"), "node1");
        var r2 = new PodAttachment(new PodRef("default", "r2"), "c2", NetnsPath.parse("netns", "/run/netns/r2"), "node2");
        var peers = registry.peers(r1.pod(), registry.links());
        assertThat(peers.of(r2.pod())).as("r2 is nowhere yet").isEmpty();

        // r2 lands on another node between r1's read and r1's write: r1 must decide again (its link now needs a VNI)
        registry.attach(r2);
        assertThat(registry.attach(r1, VniClaims.NONE, peers)).isEmpty();
        assertThat(registry.attachment(r1.pod())).isEmpty();

        var fresh = registry.peers(r1.pod(), registry.links());
        assertThat(fresh.of(r2.pod())).map(PodAttachment::node).contains("node2");
        assertThat(registry.attach(r1, vnis.propose(ids), fresh)).isPresent();
    }
}
