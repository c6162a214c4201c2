package dev.nugator.pairing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.Json;
import dev.nugator.store.EmbeddedKvStore;
import dev.nugator.store.KeyValue;
import dev.nugator.store.WatchEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records read from the store: a newer writer's extra fields are ignored, a record that cannot be
 * read is skipped (and listed, and logged once), never failing the reads of the others.
 */
class StoredRecordsTest {
    static final PodRef R1 = new PodRef("default", "r1");

    @TempDir
    Path dir;
    EmbeddedKvStore store;
    LinkRegistry registry;
    LinkSpec link;

    @BeforeEach
    void open() throws Exception {
        store = EmbeddedKvStore.open(dir.resolve("store.db"));
        registry = new LinkRegistry(store);
        link = TopologyTest.parse("links: [{a: {pod: r1, ifname: eth1, ipv4: 192.0.2.1/30}, b: {pod: r2, ifname: eth1}}]")
                .links().getFirst();
    }

    @AfterEach
    void close() {
        store.close();
    }

    void put(String key, String value) {
        store.put(key, value.getBytes(UTF_8));
    }

    ObjectNode newerLink() {
        var json = LinkJson.write(link);
        json.put("colour", "blue").putObject("qos").put("rate", "1g");   // fields of a newer nugatord
        json.with("a").put("vlan", 7);
        return json;
    }

    @Test
    void aLinkWithFieldsOfANewerWriterIsReadAsItsKnownFields() {
        put(Keys.link(link.id()), Json.text(newerLink()));

        assertThat(registry.links()).containsExactly(link);
        assertThat(registry.linksOf(R1)).containsExactly(link);
        assertThat(registry.link(link.id())).hasValue(link);
        assertThat(registry.unreadable()).isEmpty();
    }

    @Test
    void brokenRecordsOfEveryKindAreSkippedAndListedWithWhy() {
        registry.announce(link);
        var pod = new PodAttachment(R1, "c1", dev.nugator.netlink.NetnsPath.parse("netns", "/run/netns/p1"), "node1", "net");
        registry.attach(pod);
        put(Keys.LINKS + "notjson", "{\"a\": ");
        put(Keys.LINKS + "halfalink", "{\"a\": {\"pod\": \"r3\", \"ifname\": \"eth1\"}}");
        put(Keys.LINKS + "badifname", "{\"a\": {\"pod\": \"r3\", \"ifname\": \"e\u00e0\"}, \"b\": {\"pod\": \"r4\", \"ifname\": \"eth1\"}}");
        put(Keys.PODS + "default/r9", "{\"pod\": \"default/r9\", \"containerId\": \"c9\", \"node\": \"node1\"}");
        put(Keys.NODES + "node2", "{\"name\": \"node2\", \"address\": \"not-an-ip\", \"vxlanPort\": 4789}");
        put(Keys.TOPOLOGIES + "lab", "[1, 2]");
        put(Keys.ERRORS + "node1/x", "oops");
        put(Keys.LINK_VNIS + "x", "many");
        put(Keys.VNIS + "4097", "");

        assertThat(registry.links()).containsExactly(link);
        assertThat(registry.linksOf(R1)).containsExactly(link);
        assertThat(registry.attachments()).containsExactly(pod);
        assertThat(registry.attachment(new PodRef("default", "r9"))).isEmpty();
        assertThat(new LinkErrors(store).byLink()).isEmpty();
        assertThat(new Nodes(store).find("node2")).isEmpty();
        assertThat(registry.topologyLinks("lab")).isEmpty();
        assertThat(reasons(registry.unreadable())).containsOnlyKeys(Keys.LINKS + "notjson", Keys.LINKS + "halfalink",
                Keys.LINKS + "badifname", Keys.PODS + "default/r9", Keys.NODES + "node2", Keys.TOPOLOGIES + "lab",
                Keys.ERRORS + "node1/x", Keys.LINK_VNIS + "x", Keys.VNIS + "4097")
                .hasEntrySatisfying(Keys.LINKS + "notjson", r -> assertThat(r).startsWith("not JSON"))
                .hasEntrySatisfying(Keys.LINKS + "halfalink", r -> assertThat(r).contains("link.b: is required"))
                .hasEntrySatisfying(Keys.LINKS + "badifname", r -> assertThat(r).contains("link.a.ifname").contains("U+00E0"))
                .hasEntrySatisfying(Keys.PODS + "default/r9", r -> assertThat(r).isEqualTo("netns: is required"))
                .hasEntrySatisfying(Keys.NODES + "node2", r -> assertThat(r).startsWith("address: "))
                .hasEntrySatisfying(Keys.TOPOLOGIES + "lab", r -> assertThat(r).isEqualTo("not a JSON object"))
                .hasEntrySatisfying(Keys.LINK_VNIS + "x", r -> assertThat(r).contains("'many' is not a decimal number"));
    }

    @Test
    void aRecordFixedOrDeletedIsNoLongerListed() {
        put(Keys.LINKS + "bad", "nonsense");
        put(Keys.PODS + "default/gone", "nonsense");
        assertThat(registry.unreadable()).hasSize(2);

        put(Keys.LINKS + "bad", Json.text(LinkJson.write(link)));
        store.delete(Keys.PODS + "default/gone");

        assertThat(registry.unreadable()).isEmpty();
    }

    @Test
    void anUnreadableRecordIsLoggedOnceNotAtEveryRead() {
        String key = Keys.LINKS + "0123456789abcdef";
        String log = capturingStderr(() -> {
            put(key, "{\"a\": 1}");
            for (int i = 0; i < 5; i++) {
                registry.links();
                registry.unreadable();
                new LinkRegistry(store).linksOf(R1);   // another reader of the same store
            }
        });
        assertThat(Pattern.compile(Pattern.quote(key)).matcher(log).results().count()).as(log).isEqualTo(1);

        String again = capturingStderr(() -> {
            put(key, "{\"b\": 1}");   // a new version of it: worth saying again
            registry.links();
            registry.links();
        });
        assertThat(Pattern.compile(Pattern.quote(key)).matcher(again).results().count()).as(again).isEqualTo(1);
    }

    @Test
    void theWatchsEventsOfUnreadableRecordsAreSkippedAndTheOthersDecoded() {
        var newer = new KeyValue(Keys.link(link.id()), Json.text(newerLink()).getBytes(UTF_8), 3, 3);
        var broken = new KeyValue(Keys.PODS + "default/r1", "{".getBytes(UTF_8), 4, 4);
        var badKey = new KeyValue(Keys.PODS + "default/-not-a-pod", new byte[0], 5, 5);
        var node = new KeyValue(Keys.node("n1"), "{\"name\":\"n1\",\"address\":\"198.18.0.1\",\"vxlanPort\":4789,\"new\":1}"
                .getBytes(UTF_8), 6, 6);

        assertThat(registry.change(new WatchEvent(WatchEvent.Type.PUT, newer))).isEqualTo(new StoreChange.LinkPut(link));
        assertThat(registry.change(new WatchEvent(WatchEvent.Type.PUT, broken))).isEqualTo(new StoreChange.Unreadable(broken.key()));
        assertThat(registry.change(new WatchEvent(WatchEvent.Type.DELETE, badKey))).isEqualTo(new StoreChange.Unreadable(badKey.key()));
        assertThat(registry.change(new WatchEvent(WatchEvent.Type.PUT, node))).isInstanceOf(StoreChange.NodePut.class);
        assertThat(registry.change(new WatchEvent(WatchEvent.Type.DELETE, broken)))
                .isEqualTo(new StoreChange.PodDeleted(R1, 4));
    }

    @Test
    void whatUsersWriteIsStillReadStrictly() {
        assertThatThrownBy(() -> TopologyTest.parse("links: [{a: {pod: r1, ifname: eth1, ipv: 192.0.2.1/30}, b: {pod: r2, ifname: eth1}}]"))
                .isInstanceOfSatisfying(InvalidLinksException.class, e -> assertThat(e.problems())
                        .containsExactly("links[0].a.ipv: unknown field (expected one of addresses, ifname, ipv4, ipv6, mac, pod)"));
        var announce = new LinkParser("default");
        assertThat(announce.link(newerLink(), "link", "announce")).isEmpty();
        assertThat(announce.errors()).contains("link.colour: unknown field (expected one of a, b, id, labels, mtu, owner, source)");
    }

    static Map<String, String> reasons(List<UnreadableRecord> records) {
        var map = new java.util.LinkedHashMap<String, String>();
        records.forEach(r -> map.put(r.key(), r.reason()));
        return map;
    }

    static String capturingStderr(Runnable work) {
        var original = System.err;
        var captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, UTF_8));
        try {
            work.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(UTF_8);
    }
}
