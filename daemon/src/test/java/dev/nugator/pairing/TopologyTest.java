package dev.nugator.pairing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class TopologyTest {
    static final YAMLMapper YAML = new YAMLMapper();

    static Topology parse(String yaml) throws IOException {
        return Topology.parse(YAML.readTree(yaml));
    }

    @Test
    void parsesLinksWithDefaultsAndCanonicalOrder() throws IOException {
        var topology = parse("""
                name: lab1
                namespace: labs
                links:
                  - a: {pod: r2, ifname: eth1, ipv4: 192.0.2.2/30}
                    b: {pod: r1, ifname: eth1, ipv4: 192.0.2.1, ipv6: "2001:db8::1/64", mac: "02:00:00:00:00:01"}
                    mtu: 9000
                """);
        assertThat(topology.name()).isEqualTo("lab1");
        var link = topology.links().getFirst();
        assertThat(link.a().pod()).isEqualTo(new PodRef("labs", "r1"));
        assertThat(link.a().addresses()).extracting(Object::toString).containsExactly("192.0.2.1/24", "2001:db8::1/64");
        assertThat(link.a().mac()).hasValue("02:00:00:00:00:01");
        assertThat(link.mtu()).hasValue(9000);
        assertThat(link.source()).isEqualTo("topology:lab1");
    }

    @Test
    void everyProblemIsReportedWithItsLinkAndField() {
        assertThatThrownBy(() -> parse("""
                links:
                  - a: {pod: r1, ifname: eth1, ipv4: 192.0.2.300/30}
                    b: {pod: r2, ifname: this-name-is-far-too-long}
                  - a: {pod: r1, ifname: eth2, mac: "01:00:5e:00:00:01"}
                    b: {ifname: eth2, ipv6: 192.0.2.1}
                    mtu: 10
                  - a: {pod: r3, ifname: eth1}
                    b: {pod: r3, ifname: eth1}
                """)).isInstanceOfSatisfying(InvalidLinksException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                "links[0].a.ipv4: '192.0.2.300/30' is not an IP address",
                "links[0].b.ifname: 'this-name-is-far-too-long' is longer than 15 bytes",
                "links[1].a.mac: '01:00:5e:00:00:01' is a multicast address; an interface needs a unicast MAC",
                "links[1].b.pod: is required",
                "links[1].b.ipv6: '192.0.2.1' is not an IPv6 address",
                "links[1].mtu: must be a number from 68 to 65535, not 10",
                "links[2]: both ends are default/r3:eth1; a link joins two different interfaces"));
    }

    @Test
    void anInterfaceCanEndOneLinkOnly() {
        assertThatThrownBy(() -> parse("""
                links:
                  - a: {pod: r1, ifname: eth1}
                    b: {pod: r2, ifname: eth1}
                  - a: {pod: r1, ifname: eth1}
                    b: {pod: r3, ifname: eth1}
                """)).isInstanceOfSatisfying(InvalidLinksException.class, e -> assertThat(e.problems())
                .containsExactly("links[1]: default/r1:eth1 is already the end of links[0]"));
    }

    @Test
    void linkIdDoesNotDependOnTheOrderOfItsEnds() throws IOException {
        var one = parse("links: [{a: {pod: x, ifname: e1}, b: {pod: y, ifname: e2}}]").links().getFirst();
        var two = parse("links: [{a: {pod: y, ifname: e2}, b: {pod: x, ifname: e1}}]").links().getFirst();
        assertThat(one.id()).isEqualTo(two.id());
    }

    @Test
    void storedFormReadsBackEqual() throws IOException {
        var link = parse("links: [{a: {pod: x, ifname: e1, ipv4: 10.0.0.1/31}, b: {pod: y, ifname: e2}, mtu: 1400, owner: b,"
                + " labels: {publicIp: 1.1.1.1}}]").links().getFirst();
        assertThat(LinkJson.read(LinkJson.write(link))).isEqualTo(link);
    }

    @Test
    void misspeltKeysAreRefusedNotIgnored() {
        assertThatThrownBy(() -> parse("""
                nmae: lab
                links:
                  - a: {pod: r1, ifname: eth1, ipv4s: 192.0.2.1/30}
                    b: {pod: r2, ifname: eth1}
                    mtuu: 9000
                """)).isInstanceOfSatisfying(InvalidLinksException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                "nmae: unknown field (expected one of links, name, namespace)",
                "links[0].mtuu: unknown field (expected one of a, b, id, labels, mtu, owner, source)",
                "links[0].a.ipv4s: unknown field (expected one of addresses, ifname, ipv4, ipv6, mac, pod)"));
    }
}
