package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.CniCall;
import dev.nugator.testkit.CniResult;
import dev.nugator.testkit.Names;
import dev.nugator.testkit.NugatorNode;
import dev.nugator.testkit.Nugatord;
import dev.nugator.testkit.Proc;
import dev.nugator.testkit.RootIntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * nugatord's log as an operator reads it: one line per record whatever a caller put in the values it
 * logs (a hostile CNI_CONTAINERID or CNI_NETNS cannot forge lines or drive the terminal), and where
 * and at the level the flags say, also with TLS to etcd, whose set-up logs before anything else.
 */
@RootIntegrationTest
class DaemonLogTest {
    private static final String FORGED = "2030-01-01T00:00:00.000Z INFO Dispatcher - ADD succeeded FORGED";

    @RegisterExtension
    static final NugatorNode NODE = NugatorNode.create(b -> b.logLevel("debug"));

    @Test
    void controlCharactersInLoggedValuesAreEscapedSoNoLineCanBeForged() {
        var net = TestNetwork.create(NODE, "1.0.0").bridge();
        CniResult badId = CniCall.of("ADD").containerId("c1\n" + FORGED + " by the id").netns("/run/netns/none")
                .ifname("eth0").config(net.conf()).run();
        CniResult badNetns = CniCall.of("ADD").containerId(Names.containerId()).netns("/run/netns/none\r\n" + FORGED + " by the netns\u001b[2J")
                .ifname("eth0").config(net.conf()).run();
        assertThat(badId.errorCode()).as(badId.describe()).isEqualTo(4);
        assertThat(badNetns.exitCode()).as(badNetns.describe()).isNotZero();

        String log = NODE.daemon().log();
        assertThat(log.lines().filter(l -> l.contains("FORGED")).toList()).as(log).isNotEmpty()
                .noneMatch(l -> l.startsWith(FORGED) || l.contains("\u001b"));
        assertThat(log).contains("\\n" + FORGED + " by the id").contains("\\r\\n" + FORGED + " by the netns\\u001b[2J");
    }

    @Test
    void logFileAndLevelAreHonouredWhenTlsToEtcdIsSetUp() throws IOException {
        Path ca = NODE.tempDir().resolve("ca.crt");
        Path key = ca.resolveSibling("ca.key");
        Proc.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-subj", "/CN=nugator test CA",
                "-days", "1", "-out", ca.toString()).deadline(Duration.ofSeconds(30)).check();

        // no etcd answers there: nugatord starts all the same, its links following once the store answers
        Nugatord daemon = NODE.track(Nugatord.in(NODE.node()).logLevel("debug")
                .args("--store", "etcd://127.0.0.1:2379", "--etcd-cacert", ca.toString(), "--node-address", NODE.node().ip()).start());

        String file = Files.exists(daemon.logFile()) ? Files.readString(daemon.logFile()) : "";
        assertThat(file).as("--log-file %s; all the daemon wrote:%n%s", daemon.logFile(), Nugatord.tail(daemon.log()))
                .contains("nugatord ready").contains(" DEBUG ");
    }
}
