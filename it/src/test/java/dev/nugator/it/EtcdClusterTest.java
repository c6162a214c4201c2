package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.EtcdCluster;
import dev.nugator.testkit.Fabric;
import dev.nugator.testkit.NodeNamespace;
import dev.nugator.testkit.RootIntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kit's etcd cluster against the real etcd: three members in three node namespaces on one
 * fabric, a key written and read through etcdctl, one member down and the cluster still serving,
 * all down, all back with their data; TLS refusing a client certificate from another CA. Nothing
 * (process, data dir, namespace) outlives the test.
 */
@RootIntegrationTest
class EtcdClusterTest {
    private Fabric fabric;
    private final List<NodeNamespace> nodes = new ArrayList<>();

    @BeforeEach
    void threeNodes() {
        fabric = Fabric.create();
        for (int i = 0; i < 3; i++) {
            nodes.add(NodeNamespace.on(fabric));
        }
    }

    @AfterEach
    void removeNodes() {
        nodes.forEach(NodeNamespace::close);
        fabric.close();
    }

    @Test
    void threeMembersServeWithOneDownAndKeepTheirDataAcrossAFullStop() {
        Path dir;
        List<Long> pids;
        try (var etcd = EtcdCluster.start(nodes)) {
            dir = etcd.dir();
            pids = List.copyOf(EtcdCluster.running());
            assertThat(etcd.endpoints()).isEqualTo("198.18.0.1:2379,198.18.0.2:2379,198.18.0.3:2379");
            assertThat(etcd.daemonArgs()).containsExactly("--store", "etcd://" + etcd.endpoints());
            assertThat(etcd.runningMembers()).containsExactly(1, 2, 3);

            etcd.put("/nttest/a", "one");
            etcd.put("/nttest/b", "{\"json\": true}");
            assertThat(etcd.get("/nttest/")).containsExactly(entry("/nttest/a", "one"), entry("/nttest/b", "{\"json\": true}"));
            assertThat(etcd.count("/nttest/")).isEqualTo(2);

            int leader = etcd.leader();
            etcd.stop(leader);
            assertThat(etcd.runningMembers()).hasSize(2).doesNotContain(leader);
            etcd.put("/nttest/c", "written with member " + leader + " down");
            assertThat(etcd.keys("/nttest/")).containsExactly("/nttest/a", "/nttest/b", "/nttest/c");
            assertThat(etcd.leader()).isNotEqualTo(leader);

            etcd.start(leader);
            assertThat(etcd.runningMembers()).containsExactly(1, 2, 3);

            etcd.stopAll();
            assertThat(etcd.runningMembers()).isEmpty();
            var refused = etcd.etcdctl("--command-timeout=1s", "get", "/nttest/a");
            assertThat(refused.succeeded()).as(refused.describe()).isFalse();

            etcd.startAll();
            assertThat(etcd.value("/nttest/c")).contains("written with member " + leader + " down");
            assertThat(etcd.deletePrefix("/nttest/")).isEqualTo(3);
            assertThat(etcd.count("/nttest/")).isZero();
        }
        assertThat(dir).as("the cluster's temp dir").doesNotExist();
        assertThat(EtcdCluster.running()).as("etcd members still running").isEmpty();
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("etcd pid %d", pid).isNotEqualTo(java.util.Optional.of(true));
        }
        assertThat(Path.of("target", "etcd-logs")).isDirectory();
    }

    @Test
    void aTlsClusterServesTheRightClientCertificateAndRefusesOneFromAnotherCa() throws Exception {
        Path dir;
        try (var etcd = EtcdCluster.startTls(nodes)) {
            dir = etcd.dir();
            var certs = etcd.requireCertificates();
            for (Path key : List.of(certs.clientKey(), certs.serverKey(), certs.wrongClientKey())) {
                assertThat(Files.readString(key)).as("%s is PKCS#8 PEM", key).startsWith("-----BEGIN PRIVATE KEY-----");
            }
            assertThat(etcd.daemonArgs()).containsExactly("--store", "etcd://" + etcd.endpoints(),
                    "--etcd-cacert", certs.caCert().toString(), "--etcd-cert", certs.clientCert().toString(),
                    "--etcd-key", certs.clientKey().toString());

            etcd.put("/nttest/tls", "yes");
            assertThat(etcd.value("/nttest/tls")).contains("yes");

            var wrong = etcd.etcdctlAs(certs.wrongClientCert(), certs.wrongClientKey(),
                    "--command-timeout=2s", "get", "/nttest/tls");
            assertThat(wrong.succeeded()).as(wrong.describe()).isFalse();
            assertThat(wrong.stdout()).doesNotContain("yes");
        }
        assertThat(dir).doesNotExist();
    }

    private static java.util.Map.Entry<String, String> entry(String key, String value) {
        return java.util.Map.entry(key, value);
    }
}
