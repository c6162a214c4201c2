package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nugator.testkit.Await;
import dev.nugator.testkit.CniCall;
import dev.nugator.testkit.CniResult;
import dev.nugator.testkit.Dist;
import dev.nugator.testkit.Json;
import dev.nugator.testkit.Names;
import dev.nugator.testkit.Podman;
import dev.nugator.testkit.Proc;
import dev.nugator.testkit.ProcResult;
import dev.nugator.testkit.RootIntegrationTest;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * dist/nugator-image.tar as {@code make image} builds it (scripts/make-image.sh, once for this class;
 * the Debian root file system comes from its cache outside the clone when its inputs are unchanged),
 * loaded into a podman of the test's own and run the way the DaemonSet runs it: nugatord, nugatorctl
 * and nugator on its PATH; the init container's {@code nugatorctl install} putting a shim on a host
 * tree that then runs there with no Java; nugatord answering the DaemonSet's own probes. The loaded
 * image, its containers and podman's storage are removed after.
 */
@RootIntegrationTest
class ImageTest {
    /** A cold build makes the root file system from Debian's packages: minutes, not seconds. */
    private static final Duration BUILD_DEADLINE = Duration.ofMinutes(30);
    private static Podman podman;
    private static String image;

    @BeforeAll
    static void buildAndLoadTheImage() {
        assumeTrue(Podman.available(), "needs podman, runc and busybox (make deps installs them)");
        Path script = Dist.home().getParent().resolve("scripts/make-image.sh");
        Proc.of(script.toString()).deadline(BUILD_DEADLINE).run().requireSuccess();
        image = ManifestsTest.image();
        // its one network is never used: every container here runs with --network none
        var unused = Json.object().put("cniVersion", "1.0.0").put("name", Names.unique("ntimg"));
        unused.putArray("plugins").addObject().put("type", "loopback");
        podman = Podman.create(unused);
        var load = podman.podman("load", "--input", Dist.home().resolve("nugator-image.tar").toString()).requireSuccess();
        assertThat(load.stdout()).as("the tag the manifests name").contains("Loaded image: " + image);
    }

    @AfterAll
    static void removeTheImage() {
        if (podman == null) {
            return;
        }
        try {
            var left = podman.containerNames();
            if (!left.isEmpty()) {
                podman.remove(left.toArray(String[]::new));
            }
            podman.podman("rmi", "--force", image).requireSuccess();
            assertThat(podman.podman("images", "--quiet").requireSuccess().stdout()).as("images left").isBlank();
        } finally {
            podman.close();
        }
    }

    @Test
    void nugatordNugatorctlAndTheShimRunFromTheImagesPath() {
        String version = image.substring(image.indexOf(':') + 1).replace("-SNAPSHOT", "");

        ProcResult nugatord = podman.runImage(List.of(), image, "nugatord", "--version");
        ProcResult help = podman.runImage(List.of(), image, "nugatorctl", "--help");
        ProcResult installHelp = podman.runImage(List.of(), image, "nugatorctl", "install", "--help");
        ProcResult shim = podman.runImage(List.of("--env", "CNI_COMMAND=VERSION"), image, "sh", "-c",
                "echo '{\"cniVersion\": \"1.0.0\"}' | nugator");
        ProcResult path = podman.runImage(List.of(), image, "sh", "-c", "command -v nugatord; command -v nugatorctl; command -v nugator");

        assertThat(nugatord.exitCode()).as(nugatord.describe()).isZero();
        assertThat(nugatord.stdout()).contains("nugatord " + version);
        assertThat(help.exitCode()).as(help.describe()).isZero();
        assertThat(help.stdout()).contains("install", "uninstall", "probe", "announce", "topology");
        assertThat(installHelp.exitCode()).as(installHelp.describe()).isZero();
        assertThat(installHelp.stdout()).contains("--chain", "--multus", "--host-root", "--cni-bin-dir", "--cni-conf-dir");
        assertThat(shim.exitCode()).as(shim.describe()).isZero();
        assertThat(Json.parse(shim.stdout()).path("supportedVersions").toString()).contains("1.1.0");
        assertThat(path.stdout().lines().toList()).as(path.describe())
                .containsExactly("/opt/nugator/bin/nugatord", "/opt/nugator/bin/nugatorctl", "/opt/nugator/bin/nugator");
    }

    @Test
    void theDaemonSetsInitContainerInstallsAShimThatRunsOnAHostWithoutJava() {
        var spec = daemonSet();
        var install = spec.getInitContainers().getFirst();
        try (var host = InstallHost.create()) {
            host.write("10-kubenet.conflist", """
                    {"cniVersion": "1.0.0", "name": "kubenet", "plugins": [{"type": "bridge", "bridge": "cni0"}]}
                    """);

            ProcResult run = podman.runImage(hostMounts(spec, install, host.root()), image, install.getCommand().toArray(String[]::new));
            CniResult version = host.withoutJava(CniCall.of("VERSION")).stdin("{\"cniVersion\": \"1.0.0\"}").run();

            assertThat(run.exitCode()).as(run.describe()).isZero();
            assertThat(Json.parse(host.read(host.chained())).at("/plugins/1/type").asText()).isEqualTo("nugator");
            assertThat(Files.isSymbolicLink(host.shim())).isTrue();
            assertThat(version.exitCode()).as(version.describe()).isZero();
            assertThat(version.json().path("supportedVersions").toString()).contains("1.1.0");
        }
    }

    @Test
    void nugatordInTheImageAnswersTheDaemonSetsReadinessAndLivenessProbes() {
        var nugatord = ManifestsTest.container(daemonSet(), "nugatord");
        var env = Map.of("NODE_NAME", Names.unique("ntimg"), "NODE_IP", "127.0.0.1");
        String name = Names.unique("ntimgd");
        var command = nugatord.getCommand().stream().map(arg -> expand(arg, env)).toArray(String[]::new);

        podman.startImage(name, List.of("--privileged"), image, command).requireSuccess();
        try {
            var ready = Await.until("the readiness probe to pass", Duration.ofSeconds(90),
                    () -> podman.exec(name, nugatord.getReadinessProbe().getExec().getCommand().toArray(String[]::new)),
                    ProcResult::succeeded);
            ProcResult live = podman.exec(name, nugatord.getLivenessProbe().getExec().getCommand().toArray(String[]::new));

            assertThat(ready.stdout()).contains("ready");
            assertThat(live.exitCode()).as(live.describe()).isZero();
            assertThat(podman.logs(name)).contains("nugatord ready on /run/nugator/nugator.sock");
        } finally {
            podman.podman("stop", "--time", "30", name);
            podman.remove(name);
        }
    }

    private static PodSpec daemonSet() {
        var objects = ManifestsTest.render(ManifestsTest.deployDir(), "base");
        return ManifestsTyped.named(objects, DaemonSet.class, "nugator").getSpec().getTemplate().getSpec();
    }

    /**
     * The container's host-path mounts with the host moved under {@code root}: each host directory
     * made there as the kubelet makes one of type DirectoryOrCreate, and bound where the container
     * expects it.
     */
    private static List<String> hostMounts(PodSpec spec, Container container, Path root) {
        var options = new ArrayList<String>();
        if (Boolean.TRUE.equals(container.getSecurityContext().getPrivileged())) {
            options.add("--privileged");
        }
        for (var mount : container.getVolumeMounts()) {
            Path onHost = root.resolve(ManifestsTest.hostPath(spec, mount).substring(1));
            try {
                Files.createDirectories(onHost);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            options.addAll(List.of("--volume", onHost + ":" + mount.getMountPath()));
        }
        return options;
    }

    /** Kubernetes' $(VAR) references in a command, from the container's environment. */
    private static String expand(String arg, Map<String, String> env) {
        var matcher = Pattern.compile("\\$\\(([A-Z_]+)\\)").matcher(arg);
        var out = new StringBuilder();
        while (matcher.find()) {
            String value = env.get(matcher.group(1));
            assertThat(value).as("a value for $(%s)", matcher.group(1)).isNotNull();
            matcher.appendReplacement(out, value);
        }
        return matcher.appendTail(out).toString();
    }
}
