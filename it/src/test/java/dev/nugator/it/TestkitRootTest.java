package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.Netns;
import dev.nugator.testkit.NodeNamespace;
import dev.nugator.testkit.RootIntegrationTest;
import org.junit.jupiter.api.Test;

/** The kit's namespace helpers against the real kernel: made, inspected and always removed. */
@RootIntegrationTest
class TestkitRootTest {

    @Test
    void netnsIsCreatedInspectedAndClosedTwiceSafely() {
        Netns netns = Netns.create("ntkit");
        try {
            assertThat(netns.exists()).isTrue();
            assertThat(netns.path().toString()).isEqualTo("/run/netns/" + netns.name());
            assertThat(Netns.list()).contains(netns.name());
            assertThat(netns.requireLink("lo").isUp()).isTrue();
            assertThat(netns.requireLink("lo").ipv4()).extracting(Object::toString).containsExactly("127.0.0.1/8");
        } finally {
            netns.close();
            netns.close();
        }
        assertThat(netns.exists()).isFalse();
        assertThat(Netns.live()).doesNotContain(netns.name());
    }

    @Test
    void nodeHasAnUplinkAndLeavesNothingBehind() {
        NodeNamespace node = NodeNamespace.create();
        String name = node.name();
        try {
            var eth0 = node.netns().requireLink(NodeNamespace.UPLINK);
            assertThat(eth0.kind()).isEqualTo("veth");
            assertThat(eth0.isUp()).isTrue();
            assertThat(eth0.ipv4()).extracting(Object::toString).containsExactly(node.address());
            assertThat(node.address()).startsWith("198.18.");
        } finally {
            node.close();
            node.close();
        }
        assertThat(Netns.list()).doesNotContain(name);
        assertThat(Netns.live()).noneMatch(n -> n.startsWith("ntfab") || n.equals(name));
    }
}
