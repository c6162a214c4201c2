package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.testkit.CniCall;
import dev.nugator.testkit.CniResult;
import dev.nugator.testkit.Dist;
import dev.nugator.testkit.Names;
import dev.nugator.testkit.Netns;
import dev.nugator.testkit.NugatorNode;
import dev.nugator.testkit.Nugatorctl;
import dev.nugator.testkit.Nugatord;
import dev.nugator.testkit.Pod;
import dev.nugator.testkit.Proc;
import dev.nugator.testkit.ProcResult;
import dev.nugator.testkit.RootIntegrationTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * nugatord's state directory as an operator meets it: every record is seen (also one whose ifname
 * starts with a dot), nothing in it is readable by others (also after an upgrade from a version that
 * left it so), and a full file system is told by STATUS, and at start on stderr.
 */
@RootIntegrationTest
class StateDirTest {
    private static final String PRIVATE_DIR = "rwx------";
    private static final String PRIVATE_FILE = "rw-------";

    @RegisterExtension
    static final NugatorNode NODE = NugatorNode.create();

    @Test
    void gcTearsDownAnAttachmentWhoseIfnameStartsWithADot() {
        var net = TestNetwork.create(NODE, "1.1.0").bridge();
        Pod pod = NODE.pod();
        net.add(pod, ".x").requireSuccess();
        assertThat(net.leasesOf(pod)).as("the delegate's lease").isNotEmpty();
        ObjectNode conf = net.conf().deepCopy();
        conf.putArray("cni.dev/valid-attachments");

        CniResult gc = CniCall.of("GC").config(conf).run();

        assertThat(gc.exitCode()).as(gc.describe()).isZero();
        assertThat(net.leasesOf(pod)).as("leases of the attachment GC had to see").isEmpty();
        assertThat(NODE.daemon().attachmentState(net.name(), pod.containerId(), ".x")).doesNotExist();
    }

    @Test
    void theStateIsTheDaemonsAloneAlsoAfterAnUpgradeFromAWorldReadableOne() {
        Nugatord daemon = NODE.track(Nugatord.in(NODE.node()).start());
        var net = TestNetwork.create(NODE, daemon, "1.1.0").bridge();
        Pod pod = NODE.pod();
        net.add(pod).requireSuccess();
        assertPrivate(daemon.stateDir());

        daemon.stop();
        worldReadable(daemon.stateDir());
        daemon.restart();

        assertPrivate(daemon.stateDir());
        assertThat(net.del(pod).exitCode()).isZero();
    }

    @Test
    void statusSays50WhenTheStateFileSystemIsFullAndZeroOnceItIsNot() {
        Nugatord daemon = NODE.track(Nugatord.in(NODE.node()).start());
        daemon.stop();
        try (var tmpfs = Tmpfs.mount(daemon.stateDir(), "8m")) {
            daemon.restart();
            try {
                var net = TestNetwork.create(NODE, daemon, "1.1.0").bridge();
                Pod pod = NODE.pod();
                CniCall.of("STATUS").config(net.conf()).run().requireSuccess();

                tmpfs.fill();
                CniResult status = CniCall.of("STATUS").config(net.conf()).run();
                // the DaemonSet's probes: not ready (no pod should be sent here), but alive (no restart helps)
                ProcResult ready = Nugatorctl.bare(Map.of(), "probe", "--socket", daemon.socket().toString());
                ProcResult live = Nugatorctl.bare(Map.of(), "probe", "--live", "--socket", daemon.socket().toString());
                CniResult add = net.add(pod);

                assertThat(status.errorCode()).as(status.describe()).isEqualTo(50);
                assertThat(status.errorMsg()).as(status.describe()).containsIgnoringCase("no space left on device")
                        .contains(daemon.stateDir().toString());
                assertThat(ready.exitCode()).as(ready.describe()).isEqualTo(1);
                assertThat(ready.stderr()).containsIgnoringCase("no space left on device");
                assertThat(live.exitCode()).as(live.describe()).isZero();
                assertThat(add.errorCode()).as("ADD, which STATUS said would fail: %s", add.describe()).isEqualTo(5);
                tmpfs.unfill();
                CniCall.of("STATUS").config(net.conf()).run().requireSuccess();
                assertThat(net.del(pod).exitCode()).isZero();
            } finally {
                daemon.stop();   // before the unmount: it holds the store open there
            }
        }
    }

    @Test
    void aNugatordThatCannotUnpackSqliteForWantOfSpaceSaysSoOnStderr() throws IOException {
        Path dir = NODE.tempDir();
        Path state = Files.createDirectory(dir.resolve("state"));
        try (var tmpfs = Tmpfs.mount(state, "256k"); var panel = Netns.adopt(Names.unique("ntpanel"))) {
            var command = List.of(Dist.nugatord().toString(), "--socket", dir.resolve("nugatord.sock").toString(),
                    "--state-dir", state.toString(), "--log-file", dir.resolve("nugatord.log").toString(),
                    "--panel-netns", panel.path().toString());

            ProcResult run = Proc.of(NODE.node().netns().enterArgs(command)).deadline(Duration.ofSeconds(60)).run();

            assertThat(run.exitCode()).as(run.describe()).isNotZero();
            assertThat(run.stderr()).as(run.describe()).containsIgnoringCase("no space left on device").contains(state.toString());
        }
    }

    /** The state directory 0700; the attachment tree's directories 0700 and records 0600; the store's files 0600. */
    private static void assertPrivate(Path state) {
        assertThat(mode(state)).as("state directory %s", state).isEqualTo(PRIVATE_DIR);
        for (Path path : walk(state.resolve("attachments"))) {
            assertThat(mode(path)).as("%s", path).isEqualTo(Files.isDirectory(path) ? PRIVATE_DIR : PRIVATE_FILE);
        }
        assertThat(walk(state.resolve("attachments"))).as("records").anyMatch(p -> p.toString().endsWith(".json"));
        for (String name : List.of("store.db", "store.db-wal", "store.db-shm")) {
            assertThat(mode(state.resolve(name))).as("%s", name).isEqualTo(PRIVATE_FILE);
        }
    }

    /** What an older nugatord left with the usual umask: 0755 directories, 0644 files. */
    private static void worldReadable(Path state) {
        for (Path path : walk(state)) {
            try {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static List<Path> walk(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
