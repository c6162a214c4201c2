package dev.nugator.cni;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ResultCodecTest {
    static final String BRIDGE_020 = """
            {"cniVersion":"0.2.0","ip4":{"ip":"10.22.0.5/16","gateway":"10.22.0.1","routes":[{"dst":"0.0.0.0/0"}]},"dns":{}}""";
    static final String MACVLAN_100 = """
            {"cniVersion":"1.0.0","interfaces":[{"name":"net0","mac":"0a:58:c0:a8:7a:cb","sandbox":"/run/netns/p","mtu":1500}],
             "ips":[{"address":"192.168.122.203/24","gateway":"192.168.122.1","interface":0}],
             "routes":[{"dst":"0.0.0.0/0","gw":"192.168.122.1","priority":5}],"dns":{"nameservers":["192.0.2.53"]}}""";

    static ObjectNode json(String text) {
        return Json.parseObject(text.getBytes(StandardCharsets.UTF_8), "test");
    }

    static Result merged() {
        var macvlan = ResultCodec.read(json(MACVLAN_100), CniVersion.V1_0_0, "macvlan");
        var bridge = ResultCodec.read(json(BRIDGE_020), CniVersion.V0_2_0, "bridge");
        return Result.empty().append(macvlan).append(bridge);
    }

    /** As libcni converts: an old result names no interface, so its addresses point at none. */
    @Test
    void legacyResultAddressesPointAtNoInterface() {
        var out = ResultCodec.write(merged(), CniVersion.V1_0_0);
        assertThat(out.get("interfaces")).hasSize(1);
        assertThat(out.at("/ips/1/address").asText()).isEqualTo("10.22.0.5/16");
        assertThat(out.at("/ips/1").has("interface")).isFalse();
        assertThat(out.at("/ips/0/interface").asInt()).isEqualTo(0);
    }

    @Test
    void mergingAfterPrevResultShiftsInterfaceIndexes() {
        var prev = ResultCodec.read(json("""
                {"cniVersion":"1.0.0","interfaces":[{"name":"lo","sandbox":"/run/netns/p"}],"ips":[{"address":"127.0.0.1/8","interface":0}]}"""),
                CniVersion.V1_0_0, "prevResult");
        var out = ResultCodec.write(prev.append(merged()), CniVersion.V1_1_0);
        assertThat(out.at("/interfaces/0/name").asText()).isEqualTo("lo");
        assertThat(out.at("/ips/1/interface").asInt()).isEqualTo(1);
        assertThat(out.at("/interfaces/1/name").asText()).isEqualTo("net0");
        assertThat(out.at("/ips/2").has("interface")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(CniVersion.class)
    void everyVersionHasItsOwnShape(CniVersion version) {
        var out = ResultCodec.write(merged(), version);
        assertThat(out.get("cniVersion").asText()).isEqualTo(version.text());
        if (version.hasLegacyResult()) {
            assertThat(out.at("/ip4/ip").asText()).isEqualTo("192.168.122.203/24");
            assertThat(out.at("/ip4/routes")).hasSize(2);
            assertThat(out.has("interfaces")).isFalse();
            assertThat(out.has("ips")).isFalse();
        } else {
            assertThat(out.has("ip4")).isFalse();
            assertThat(out.at("/ips/0").has("version")).isEqualTo(version.ipsCarryVersion());
            if (version.ipsCarryVersion()) {
                assertThat(out.at("/ips/0/version").asText()).isEqualTo("4");
            }
            boolean v11 = version == CniVersion.V1_1_0;
            assertThat(out.at("/interfaces/0").has("mtu")).isEqualTo(v11);
            assertThat(out.at("/routes/0").has("priority")).isEqualTo(v11);
        }
        assertThat(out.at("/dns/nameservers/0").asText()).isEqualTo("192.0.2.53");
    }

    @Test
    void resultReadBackInItsOwnVersionIsUnchanged() {
        var once = ResultCodec.write(merged(), CniVersion.V0_3_1);
        var twice = ResultCodec.write(ResultCodec.read(once, CniVersion.V0_3_1, "again"), CniVersion.V0_3_1);
        assertThat(twice).isEqualTo(once);
    }

    @Test
    void legacyOutputKeepsOneCopyOfARouteEveryDelegateAdded() {
        var a = ResultCodec.read(json(BRIDGE_020), CniVersion.V0_2_0, "a");
        var out = ResultCodec.write(a.append(a), CniVersion.V0_2_0);
        assertThat(out.at("/ip4/routes")).hasSize(1);
    }
}
