package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.testkit.Await;
import dev.nugator.testkit.CniCall;
import dev.nugator.testkit.CniResult;
import dev.nugator.testkit.Dist;
import dev.nugator.testkit.Json;
import dev.nugator.testkit.Names;
import dev.nugator.testkit.NugatorNode;
import dev.nugator.testkit.Nugatorctl;
import dev.nugator.testkit.Pod;
import dev.nugator.testkit.ProcResult;
import dev.nugator.testkit.RootIntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code nugatorctl install --chain} as the DaemonSet's init container runs it, against a host tree
 * in a temporary directory whose primary network is a bridge conflist: the shim bundle copied and
 * linked, the chained config written, nothing changed by a second run, a changed primary followed
 * (by a run and by {@code --watch}), uninstall leaving the host as it was. The installed shim then
 * runs with no JDK anywhere on PATH and no JAVA_HOME: VERSION, and an ADD through a real nugatord.
 */
@RootIntegrationTest
class InstallTest {
    @RegisterExtension
    static final NugatorNode NODE = NugatorNode.create();

    private static String bridge(String subnet) {
        return """
                {"cniVersion": "1.0.0", "name": "kubenet", "plugins": [
                  {"type": "bridge", "bridge": "cni0", "isGateway": true,
                   "ipam": {"type": "host-local", "subnet": "%s", "dataDir": "/var/lib/cni/ntinstall"}},
                  {"type": "portmap", "capabilities": {"portMappings": true}}]}
                """.formatted(subnet);
    }

    private static InstallHost host() {
        var host = NODE.track(InstallHost.create());
        host.write("10-kubenet.conflist", bridge("10.244.1.0/24"));
        host.write("99-loopback.conf", "{\"cniVersion\": \"0.3.1\", \"name\": \"lo\", \"type\": \"loopback\"}");
        return host;
    }

    @Test
    void chainedInstallAppendsNugatorToTheBridgeNetworkAndASecondRunChangesNothing() throws IOException {
        var host = host();

        ProcResult first = host.nugatorctl("install", "--chain");
        var afterFirst = host.snapshot();
        var written = Files.getLastModifiedTime(host.chained());
        ProcResult second = host.nugatorctl("install", "--chain");

        assertThat(first.exitCode()).as(first.describe()).isZero();
        JsonNode chained = Json.parse(host.read(host.chained()));
        JsonNode primary = Json.parse(host.read(host.confDir().resolve("10-kubenet.conflist")));
        assertThat(chained.path("name").asText()).isEqualTo("kubenet");
        assertThat(chained.path("cniVersion").asText()).isEqualTo("1.0.0");
        var plugins = chained.path("plugins");
        assertThat(plugins).hasSize(3);
        assertThat(plugins.get(0)).isEqualTo(primary.path("plugins").get(0));
        assertThat(plugins.get(1)).isEqualTo(primary.path("plugins").get(1));
        assertThat(plugins.get(2)).isEqualTo(Json.parse("{\"type\": \"nugator\", \"socket\": \"/run/nugator/nugator.sock\"}"));
        String version = Files.readString(Dist.home().resolve("shim-bundle/VERSION")).strip();
        assertThat(Files.readSymbolicLink(host.shim())).isEqualTo(Path.of("../../nugator/shim-" + version + "/bin/nugator"));
        assertThat(host.bundles().resolve("shim-" + version + "/runtime/bin/java")).isExecutable();
        assertThat(second.exitCode()).as(second.describe()).isZero();
        assertThat(second.stderr()).contains("unchanged").contains("already there");
        assertThat(host.snapshot()).isEqualTo(afterFirst);
        assertThat(Files.getLastModifiedTime(host.chained())).as("not rewritten").isEqualTo(written);
    }

    @Test
    void theInstalledShimAnswersVersionAndAnAddThroughNugatordWithNoJdkOnPathAndNoJavaHome() {
        var host = host();
        host.nugatorctl("install", "--chain", "--socket", NODE.socket().toString()).requireSuccess();
        Pod pod = NODE.pod();
        var conf = (ObjectNode) Json.parse(host.read(host.chained()));
        var nugator = (ObjectNode) conf.path("plugins").get(2).deepCopy();
        // what the runtime gives the last plugin of a list: the list's name and version, the result so far
        nugator.put("cniVersion", conf.path("cniVersion").asText()).put("name", conf.path("name").asText());
        nugator.set("prevResult", Json.parse("""
                {"cniVersion": "1.0.0", "interfaces": [{"name": "eth0", "sandbox": "%s"}],
                 "ips": [{"address": "10.244.1.5/24", "gateway": "10.244.1.1", "interface": 0}]}
                """.formatted(pod.netnsPath())));

        CniResult version = host.withoutJava(CniCall.of("VERSION")).stdin("{\"cniVersion\": \"1.0.0\"}").run();
        CniResult add = host.withoutJava(CniCall.of("ADD")).pod(pod).ifname("eth0")
                .args("IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=" + Names.unique("ntinst")).config(nugator).run();
        boolean recorded = Files.exists(NODE.daemon().attachmentState("kubenet", pod.containerId(), "eth0"));
        CniResult del = host.withoutJava(CniCall.of("DEL")).pod(pod).ifname("eth0").config(nugator).run();

        assertThat(version.exitCode()).as(version.describe()).isZero();
        assertThat(version.json().path("supportedVersions").toString()).contains("1.1.0");
        assertThat(add.exitCode()).as(add.describe()).isZero();
        assertThat(add.json().path("ips").toString()).contains("10.244.1.5/24");
        assertThat(recorded).as("nugatord recorded the attachment").isTrue();
        assertThat(del.exitCode()).as(del.describe()).isZero();
    }

    @Test
    void theLinkFindsItsBundleWithoutRunningAToolAndTheLauncherRunsByItsOwnPathToo() throws IOException {
        var host = host();
        host.nugatorctl("install", "--chain").requireSuccess();
        Path installed = host.bundles().resolve("shim-" + Files.readString(Dist.home().resolve("shim-bundle/VERSION")).strip());
        Path launcher = installed.resolve("bin/nugator");

        assertThat(Files.readAllLines(launcher)).contains("from_link='../../nugator/" + installed.getFileName() + "'");
        assertThat(host.binDir().resolve("../../nugator/" + installed.getFileName()).normalize()).isEqualTo(installed);
        assertThat(Files.isExecutable(launcher)).isTrue();
        CniResult throughTheLink = host.withShellOnly(CniCall.of("VERSION")).stdin("{\"cniVersion\": \"1.0.0\"}").run();
        assertThat(throughTheLink.exitCode()).as("no readlink on PATH: " + throughTheLink.describe()).isZero();
        assertThat(throughTheLink.json().path("supportedVersions").toString()).contains("1.1.0");

        CniResult direct = host.withoutJava(CniCall.of("VERSION")).plugin(launcher).stdin("{\"cniVersion\": \"1.0.0\"}").run();
        assertThat(direct.exitCode()).as("run by its own path, it finds its bundle from that path: " + direct.describe()).isZero();
    }

    @Test
    void aChangedPrimaryIsFollowedByTheNextRun() {
        var host = host();
        host.nugatorctl("install", "--chain").requireSuccess();

        host.write("10-kubenet.conflist", bridge("10.244.7.0/24"));
        ProcResult again = host.nugatorctl("install", "--chain");

        assertThat(again.exitCode()).as(again.describe()).isZero();
        assertThat(again.stderr()).contains("wrote " + host.chained());
        assertThat(Json.parse(host.read(host.chained())).at("/plugins/0/ipam/subnet").asText()).isEqualTo("10.244.7.0/24");
    }

    @Test
    void watchFollowsThePrimaryWhenItChangesWhenAnotherSortsFirstAndRemovesOursWhenNoneIsLeft() throws Exception {
        var host = host();
        Path log = NODE.tempDir().resolve("watch.log");
        var watch = new ProcessBuilder(host.watchCommand("--recheck", "2")).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Await.until("the first chained config", () -> host.read(host.chained()), text -> text.contains("10.244.1.0/24"));

            host.write("10-kubenet.conflist", bridge("10.244.8.0/24"));
            Await.until("the changed subnet in " + host.chained(), () -> host.read(host.chained()), text -> text.contains("10.244.8.0/24"));

            host.write("05-flannel.conf", "{\"cniVersion\": \"0.4.0\", \"name\": \"cbr0\", \"type\": \"flannel\"}");
            JsonNode flannel = Json.parse(Await.until("the network that sorts first", () -> host.read(host.chained()),
                    text -> text.contains("cbr0")));
            assertThat(flannel.path("plugins")).extracting(p -> p.path("type").asText()).containsExactly("flannel", "nugator");

            for (String file : List.of("05-flannel.conf", "10-kubenet.conflist", "99-loopback.conf")) {
                Files.delete(host.confDir().resolve(file));
            }
            Await.until("our config removed with the last primary", () -> Files.exists(host.chained()), exists -> !exists);
            assertThat(watch.isAlive()).as("still watching; log:\n%s", host.read(log)).isTrue();
        } finally {
            watch.destroy();
            if (!watch.waitFor(15, TimeUnit.SECONDS)) {
                watch.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void uninstallLeavesTheHostAsItWasBeforeInstall() {
        var host = host();
        var before = host.snapshot();
        host.nugatorctl("install", "--chain").requireSuccess();

        ProcResult uninstall = host.nugatorctl("uninstall");
        ProcResult again = host.nugatorctl("uninstall");

        assertThat(uninstall.exitCode()).as(uninstall.describe()).isZero();
        assertThat(host.snapshot()).isEqualTo(before);
        assertThat(again.exitCode()).as("nothing left to remove is fine: %s", again.describe()).isZero();
    }

    @Test
    void anUpgradeSwitchesTheLinkAndKeepsTheVersionItLeftForShimsStillStartingFromIt() throws IOException {
        var host = host();
        host.nugatorctl("install", "--chain").requireSuccess();
        Path first = host.bundles().resolve("shim-" + Files.readString(Dist.home().resolve("shim-bundle/VERSION")).strip());

        host.nugatorctl("install", "--chain", "--bundle", host.otherBundle("9.9.1-test").toString()).requireSuccess();
        assertThat(Files.readSymbolicLink(host.shim()).toString()).contains("shim-9.9.1-test");
        assertThat(first).isDirectory();
        host.nugatorctl("install", "--chain", "--bundle", host.otherBundle("9.9.2-test").toString()).requireSuccess();

        assertThat(Files.readSymbolicLink(host.shim()).toString()).contains("shim-9.9.2-test");
        assertThat(host.bundles().resolve("shim-9.9.1-test")).isDirectory();
        assertThat(first).doesNotExist();
        CniResult version = host.withoutJava(CniCall.of("VERSION")).stdin("{\"cniVersion\": \"0.4.0\"}").run();
        assertThat(version.exitCode()).as(version.describe()).isZero();
    }

    @Test
    void theDaemonSetsProbesAskNugatordOverItsSocket() {
        Path missing = NODE.tempDir().resolve("no.sock");

        ProcResult ready = Nugatorctl.bare(java.util.Map.of(), "probe", "--socket", NODE.socket().toString());
        ProcResult live = Nugatorctl.bare(java.util.Map.of(), "probe", "--live", "--socket", NODE.socket().toString());
        ProcResult gone = Nugatorctl.bare(java.util.Map.of(), "probe", "--live", "--socket", missing.toString());

        assertThat(ready.exitCode()).as(ready.describe()).isZero();
        assertThat(ready.stdout()).contains("ready");
        assertThat(live.exitCode()).as(live.describe()).isZero();
        assertThat(gone.exitCode()).as(gone.describe()).isEqualTo(3);
        assertThat(gone.stderr()).contains(missing.toString());
    }

    @Test
    void whatIsWrongOnTheHostIsRefusedNamingThePath() throws IOException {
        var empty = NODE.track(InstallHost.create());
        var broken = host();
        broken.write("01-broken.conflist", "{\"name\": \"half\", \"plugins\": [");
        var noBinDir = host();
        Files.delete(noBinDir.binDir());

        ProcResult noNetwork = empty.nugatorctl("install", "--chain");
        ProcResult badJson = broken.nugatorctl("install", "--chain");
        ProcResult noBin = noBinDir.nugatorctl("install", "--chain");
        ProcResult neither = empty.nugatorctl("install");

        assertThat(noNetwork.exitCode()).isEqualTo(1);
        assertThat(noNetwork.stderr()).contains(empty.confDir().toString()).contains("no primary network");
        assertThat(badJson.exitCode()).isEqualTo(1);
        assertThat(badJson.stderr()).contains(broken.confDir().resolve("01-broken.conflist").toString());
        assertThat(broken.chained()).doesNotExist();
        assertThat(noBin.exitCode()).isEqualTo(1);
        assertThat(noBin.stderr()).contains("--cni-bin-dir " + noBinDir.binDir()).contains("does not exist");
        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(neither.stderr()).contains("--chain").contains("--multus");
    }
}
