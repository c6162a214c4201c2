package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.RootIntegrationTest;
import dev.nugator.testkit.cri.CriLab;
import dev.nugator.testkit.cri.CriSandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kubernetes namespaces on the kubelet's path: containerd sends the pod's namespace in
 * {@code K8S_POD_NAMESPACE}, and nugator names pods {@code namespace/name}. Pods of namespace
 * {@code lab2} get the links written for {@code lab2/r1} and {@code lab2/r2}; {@code default/r1},
 * same name in another namespace, gets none of them and leaves them alone.
 */
@RootIntegrationTest
class CriNamespacesTest {
    private static final String TOPOLOGY = """
            name: lab2
            namespace: lab2
            links:
              - a: {pod: r1, ifname: eth1, ipv4: 192.0.2.1/30}
                b: {pod: r2, ifname: eth1, ipv4: 192.0.2.2/30}
            """;

    @RegisterExtension
    static final CriLab lab = CriLab.create();

    @Test
    void aPodGetsTheLinksOfItsOwnNamespaceOnlyAndItsNamesakeElsewhereGetsNone() {
        lab.ctl().applyTopology(TOPOLOGY).requireSuccess();

        CriSandbox namesake = lab.run(lab.pod("default", "r1"));
        assertThat(namesake.netns().names()).as("default/r1, before lab2's pods run").containsExactlyInAnyOrder("lo", "eth0");

        CriSandbox r1 = lab.run(lab.pod("lab2", "r1"));
        CriSandbox r2 = lab.run(lab.pod("lab2", "r2"));
        assertThat(r1.netns().requireIface("eth1").ipv4()).containsExactly("192.0.2.1/30");
        assertThat(r2.netns().requireIface("eth1").ipv4()).containsExactly("192.0.2.2/30");
        assertThat(r1.status().cniResultInterfaces()).as("lab2/r1's CNI result in containerd").contains("eth0", "eth1");
        assertThat(r2.netns().requireIface("eth1").hasCarrier()).isTrue();
        r1.netns().assertPings("192.0.2.2");

        CriSandbox secondNamesake = lab.run(lab.pod("default", "r2"));
        assertThat(namesake.netns().names()).as("default/r1, after lab2's pods run").containsExactlyInAnyOrder("lo", "eth0");
        assertThat(secondNamesake.netns().names()).as("default/r2").containsExactlyInAnyOrder("lo", "eth0");
        assertThat(secondNamesake.status().cniResultInterfaces()).as("default/r2's CNI result").contains("eth0").doesNotContain("eth1");

        namesake.stop();
        secondNamesake.stop();
        r2.netns().assertPings("192.0.2.1");   // the namesakes' DELs leave lab2's link alone
        var link = lab.ctl().status().link("lab2/r1:eth1");
        assertThat(link.state()).as("%s", link).isEqualTo("up");
    }
}
