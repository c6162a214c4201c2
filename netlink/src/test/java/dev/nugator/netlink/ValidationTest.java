package dev.nugator.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What is refused before any request reaches the kernel, and how the refusal reads. */
class ValidationTest {
    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "a:b", "a b", "a\tb", "sixteen-bytes-xx", "ééééééééé"})
    void badInterfaceNamesNameTheField(String name) {
        assertThatThrownBy(() -> InterfaceNames.requireValid("peerName", name))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("peerName: interface name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "in1", "fifteen-bytes-x", "eth0.100", "ééééééé"})
    void goodInterfaceNames(String name) {
        assertThat(InterfaceNames.requireValid("name", name)).isEqualTo(name);
    }

    @Test
    void nullNameIsRefused() {
        assertThatThrownBy(() -> VethSpec.of(null, "b")).hasMessageStartingWith("name:");
    }

    @Test
    void macAddresses() {
        assertThat(MacAddress.format(MacAddress.parse("mac", "02:AB:cd:00:00:01"))).isEqualTo("02:ab:cd:00:00:01");
        assertThatThrownBy(() -> MacAddress.parse("peerMac", "02:ab:cd:00:00")).hasMessageStartingWith("peerMac:");
        assertThatThrownBy(() -> MacAddress.parse("mac", "0x:ab:cd:00:00:01")).hasMessageStartingWith("mac:");
        assertThatThrownBy(() -> MacAddress.parse("mac", "01:00:5e:00:00:01")).hasMessageContaining("multicast");
        assertThatThrownBy(() -> VethSpec.of("a", "b").withPeerMac("nope")).hasMessageStartingWith("peerMac:");
    }

    @Test
    void vxlanSettings() {
        assertThatThrownBy(() -> VxlanSpec.of("vx", 1 << 24)).hasMessageStartingWith("vni:");
        assertThatThrownBy(() -> VxlanSpec.of("vx", 1).withPort(0)).hasMessageStartingWith("port:");
        assertThatThrownBy(() -> VxlanSpec.of("vx", 1).withRemote(InetAddress.ofLiteral("10.0.0.1"))
                .withLocal(InetAddress.ofLiteral("fd00::1"))).hasMessageStartingWith("remote and local:");
        assertThat(VxlanSpec.of("vx", 1).port()).isEqualTo(4789);
    }

    @Test
    void groupsAndIndexesAreCheckedBeforeAnyRequest() {
        assertThatThrownBy(() -> VethSpec.of("a", "b").withGroup(-1)).hasMessageStartingWith("group:");
        assertThatThrownBy(() -> VethSpec.of("a", "b").withPeerGroup(-2)).hasMessageStartingWith("peerGroup:");
        try (RtNetlink rtnl = RtNetlink.open()) {
            assertThatThrownBy(() -> rtnl.deleteGroup(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("group:").hasMessageContaining("default group 0");
            assertThatThrownBy(() -> rtnl.setGroup("ntx", -1, false)).hasMessageStartingWith("group:");
            assertThatThrownBy(() -> rtnl.addClsact(0)).hasMessageStartingWith("ifindex:");
            assertThatThrownBy(() -> rtnl.redirectIngress(2, -1)).hasMessageStartingWith("targetIfindex:");
            assertThatThrownBy(() -> rtnl.removeIngressRedirect(-3)).hasMessageStartingWith("ifindex:");
            assertThatThrownBy(() -> rtnl.ingressRedirect(0)).hasMessageStartingWith("ifindex:");
        }
    }

    @Test
    void exceptionsReadWell() {
        NetlinkException known = new NetlinkException("create veth in1/np1234", 17, null);
        NetlinkException unknown = new NetlinkException("probe", 200, "odd");

        assertThat(known).hasMessage("create veth in1/np1234 failed: EEXIST (File exists)");
        assertThat(known.errnoName()).isEqualTo("EEXIST");
        assertThat(known.is(Errno.EEXIST)).isTrue();
        assertThat(unknown).hasMessage("probe failed: errno 200: odd");
        assertThat(unknown.errnoName()).isEqualTo("errno 200");
    }
}
