package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.ClusterLab;
import dev.nugator.testkit.ClusterPod;
import dev.nugator.testkit.CniCall;
import dev.nugator.testkit.EtcdCertificates;
import dev.nugator.testkit.Names;
import dev.nugator.testkit.NetConf;
import dev.nugator.testkit.NodeNamespace;
import dev.nugator.testkit.Nugatorctl;
import dev.nugator.testkit.Nugatord;
import dev.nugator.testkit.Ping;
import dev.nugator.testkit.RootIntegrationTest;
import dev.nugator.testkit.Vxlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * etcd that requires client certificates ({@code --client-cert-auth}): nugatord and nugatorctl
 * with the right certificate work (a cross-node link comes up), with a certificate from a CA etcd
 * does not trust they fail with a message that says the certificate is the problem. One test, as
 * a cluster costs seconds to start.
 */
@RootIntegrationTest
class ClusterTlsTest {

    @RegisterExtension
    final ClusterLab lab = ClusterLab.tls();

    @Test
    void withTheRightClientCertificateACrossNodeLinkComesUpAndWithOneFromAnotherCaNugatorctlAndNugatordSaySo() {
        assertThat(lab.etcd().tls()).isTrue();
        lab.applyTopology("""
                name: %s
                links:
                  - a: {pod: pa, ifname: eth1, ipv4: 192.0.2.1/30}
                    b: {pod: pb, ifname: eth1, ipv4: 192.0.2.2/30}
                """.formatted(Names.unique("nttls")));
        ClusterPod pa = lab.pod("pa", 1);
        ClusterPod pb = lab.pod("pb", 2);

        // the right certificate (every daemon of the lab has it): a cross-node link comes up
        pa.attach();
        pb.attach();
        Vxlan a = pa.awaitVxlanTo("eth1", 2);
        Vxlan b = pb.awaitVxlanTo("eth1", 1);
        assertThat(a.vni()).isEqualTo(b.vni());
        Ping.assertCrosses(pa.netns(), "192.0.2.2");
        assertThat(lab.store().vnis()).containsKey(a.vni());

        // nugatorctl with a certificate from a CA etcd does not trust: refused, and it says why
        EtcdCertificates certs = lab.etcd().requireCertificates();
        var wrongFlags = new ArrayList<>(List.of("--etcd", lab.etcd().endpoints()));
        wrongFlags.addAll(certs.wrongClientFlags());
        var ctl = Nugatorctl.viaEtcd(lab.node(1).netns(), wrongFlags).run("status", "-o", "json");
        assertThat(ctl.exitCode()).as(ctl.describe()).isNotZero();
        assertThat((ctl.stderr() + ctl.stdout()).toLowerCase(Locale.ROOT)).as(ctl.describe()).contains("certificate");

        // a fourth node whose nugatord has the wrong certificate: it refuses to start, or STATUS says why
        NodeNamespace fourth = lab.track(NodeNamespace.on(lab.fabric()));
        var builder = Nugatord.in(fourth).logLevel("debug").args("--store", lab.etcd().storeUrl());
        builder.args(certs.wrongClientFlags().toArray(String[]::new));
        builder.args("--node", fourth.name(), "--node-address", fourth.ip(), "--resync-interval", "2");
        try {
            Nugatord daemon = lab.track(builder.start());
            var config = NetConf.nugator(lab.networkName(), "1.1.0", daemon.socket());
            var status = CniCall.of("STATUS").config(config).run();
            assertThat(status.exitCode()).as("STATUS of a nugatord with the wrong certificate\n%s\n%s", status.describe(),
                    Nugatord.tail(daemon.log())).isNotZero();
            assertThat(status.errorText().toLowerCase(Locale.ROOT)).as(status.describe()).contains("certificate");
        } catch (AssertionError refused) {
            if (refused.getMessage() == null || !refused.getMessage().contains("before listening")) {
                throw refused;
            }
            assertThat(refused.getMessage().toLowerCase(Locale.ROOT)).as("why nugatord did not start").contains("certificate");
        }

        // the cluster is not disturbed: the link is still up, status through the right certificate says so
        assertThat(lab.status().link(pa.end("eth1")).state()).isEqualTo("up");
    }
}
