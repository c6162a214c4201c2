package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.testkit.Await;
import dev.nugator.testkit.EtcdCluster;
import dev.nugator.testkit.FileTrees;
import dev.nugator.testkit.NodeNamespace;
import dev.nugator.testkit.Nugatorctl;
import dev.nugator.testkit.Proc;
import dev.nugator.testkit.ProcResult;
import dev.nugator.testkit.RootIntegrationTest;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The certificate recipe of overlays/etcd (make-certs.sh) as its user runs it: the members'
 * certificate names every member of the StatefulSet and serves as server and as peer; a real etcd
 * started with the StatefulSet's own TLS flags on those files serves nugatorctl holding the client
 * certificate, and refuses a client that has none.
 */
@RootIntegrationTest
class EtcdCertRecipeTest {
    /** The StatefulSet's flags that are about TLS: the ones the recipe has to satisfy. */
    private static final Set<String> TLS_FLAGS = Set.of("--client-cert-auth", "--trusted-ca-file", "--cert-file", "--key-file",
            "--peer-client-cert-auth", "--peer-trusted-ca-file", "--peer-cert-file", "--peer-key-file");
    private static Path certs;

    @BeforeAll
    static void runTheRecipe() throws IOException {
        certs = Files.createTempDirectory("ntcerts-");
        Files.delete(certs);   // the recipe makes its directory, and never writes into one that has certificates
        Proc.of(ManifestsTest.deployDir().resolve("overlays/etcd/make-certs.sh").toString(), certs.toString()).check();
    }

    @AfterAll
    static void removeTheCertificates() {
        FileTrees.delete(certs);
    }

    @Test
    void theMembersCertificateNamesEveryMemberAndIsGoodAsServerAndPeerAndTheClientsAsClient() {
        var etcd = statefulSet();
        String ca = certs.resolve("ca.crt").toString();

        for (int i = 0; i < etcd.getSpec().getReplicas(); i++) {
            String member = etcd.getMetadata().getName() + "-" + i + "." + etcd.getSpec().getServiceName() + "." + ManifestsTest.NAMESPACE + ".svc";
            ProcResult host = openssl("x509", "-in", certs.resolve("member.crt").toString(), "-noout", "-checkhost", member);
            assertThat(host.stdout()).as(host.describe()).contains("does match certificate");
        }
        for (String purpose : List.of("sslserver", "sslclient")) {
            ProcResult verify = openssl("verify", "-CAfile", ca, "-purpose", purpose, certs.resolve("member.crt").toString());
            assertThat(verify.exitCode()).as(verify.describe()).isZero();
        }
        ProcResult client = openssl("verify", "-CAfile", ca, "-purpose", "sslclient", certs.resolve("tls.crt").toString());
        assertThat(client.exitCode()).as(client.describe()).isZero();
        assertThat(certs.resolve("tls.key")).content().startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void anEtcdWithTheStatefulSetsTlsFlagsServesNugatorctlWithTheClientCertificateOnly() throws Exception {
        try (var node = NodeNamespace.create()) {
            Path data = Files.createTempDirectory("ntcertsetcd-");
            Process etcd = new ProcessBuilder(node.netns().execArgs(etcdCommand(data))).redirectErrorStream(true)
                    .redirectOutput(data.resolve("etcd.log").toFile()).start();
            try {
                String endpoint = "127.0.0.1:" + EtcdCluster.CLIENT_PORT;
                var withCertificate = Nugatorctl.viaEtcd(node.netns(), List.of("--etcd", endpoint,
                        "--etcd-cacert", certs.resolve("ca.crt").toString(), "--etcd-cert", certs.resolve("tls.crt").toString(),
                        "--etcd-key", certs.resolve("tls.key").toString()));
                var withoutCertificate = Nugatorctl.viaEtcd(node.netns(), List.of("--etcd", endpoint,
                        "--etcd-cacert", certs.resolve("ca.crt").toString()));

                ProcResult served = Await.until("etcd serving the recipe's client certificate", Duration.ofSeconds(90),
                        () -> withCertificate.run("topology", "get"), r -> r.succeeded() || !etcd.isAlive());
                ProcResult refused = withoutCertificate.run("topology", "get");

                assertThat(served.exitCode()).as("%s\netcd log:\n%s", served.describe(), Files.readString(data.resolve("etcd.log"))).isZero();
                assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
            } finally {
                etcd.destroy();
                if (!etcd.waitFor(20, TimeUnit.SECONDS)) {
                    etcd.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
                }
                FileTrees.delete(data);
            }
        }
    }

    /** One member on 127.0.0.1 (a name of the recipe's certificate) with the StatefulSet's TLS flags, files from the recipe. */
    private static List<String> etcdCommand(Path data) {
        var member = statefulSet().getSpec().getTemplate().getSpec().getContainers().getFirst();
        String client = "https://127.0.0.1:" + EtcdCluster.CLIENT_PORT;
        String peer = "https://127.0.0.1:" + EtcdCluster.PEER_PORT;
        var command = new ArrayList<>(List.of(EtcdCluster.ETCD.toString(), "--name=ntcerts", "--data-dir=" + data.resolve("member"),
                "--listen-client-urls=" + client, "--advertise-client-urls=" + client, "--listen-peer-urls=" + peer,
                "--initial-advertise-peer-urls=" + peer, "--initial-cluster=ntcerts=" + peer, "--initial-cluster-state=new"));
        for (String arg : member.getCommand()) {
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (TLS_FLAGS.contains(flag)) {
                // a file in the member's Secret, mounted flat: the recipe's file of that name
                command.add(arg.contains("=") ? flag + "=" + certs.resolve(Path.of(arg.substring(arg.indexOf('=') + 1)).getFileName()) : arg);
            }
        }
        assertThat(command).as("the StatefulSet's TLS flags").hasSize(9 + TLS_FLAGS.size());
        return command;
    }

    /** The members as etcd.yaml has them (the overlay's Secrets are made of the recipe's files, which it does not have yet). */
    private static StatefulSet statefulSet() {
        var objects = ManifestsBuild.read(ManifestsTest.deployDir().resolve("overlays/etcd/etcd.yaml")).stream()
                .map(ObjectNode.class::cast).toList();
        return ManifestsTyped.named(ManifestsTyped.of(objects), StatefulSet.class, "nugator-etcd");
    }

    private static ProcResult openssl(String... args) {
        var command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        return Proc.of(command).run();
    }
}
