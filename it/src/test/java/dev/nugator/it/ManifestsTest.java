package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nugator.testkit.Dist;
import dev.nugator.testkit.FileTrees;
import dev.nugator.testkit.Json;
import dev.nugator.testkit.Nugatorctl;
import dev.nugator.testkit.Proc;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/kubernetes as {@code kubectl apply -k} would send it: every kustomization renders to valid,
 * typed Kubernetes objects, and everything they name of ours (commands, flags, the socket, the
 * state dir, the panel's directory, the host paths install writes, the image) is what the binaries
 * and the install step really use, read from their {@code --help}: a rename breaks this test.
 */
class ManifestsTest {
    static final String NAMESPACE = "nugator-system";
    private static Path tree;

    /** A copy of deploy/kubernetes with the certificates the etcd overlays read, made by the documented recipe. */
    @BeforeAll
    static void copyTheManifestsAndMakeCertificates() throws IOException {
        tree = Files.createTempDirectory("ntmanifests-");
        copy(deployDir(), tree);
        Proc.of(tree.resolve("overlays/etcd/make-certs.sh").toString()).check();
        for (String file : List.of("ca.crt", "tls.crt", "tls.key")) {
            Files.copy(tree.resolve("overlays/etcd/certs").resolve(file), tree.resolve("overlays/external-etcd/certs").resolve(file));
        }
    }

    @AfterAll
    static void removeTheCopy() {
        FileTrees.delete(tree);
    }

    static Path deployDir() {
        return Dist.home().getParent().resolve("deploy/kubernetes");
    }

    /** The tag make-image.sh gives the image: the project's version. */
    static String image() {
        try {
            var matcher = Pattern.compile("<version>(.*?)</version>").matcher(Files.readString(Dist.home().getParent().resolve("pom.xml")));
            matcher.find();
            return "localhost/nugator:" + matcher.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Object> render(Path root, String kustomization) {
        return ManifestsTyped.of(ManifestsBuild.build(root.resolve(kustomization)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/etcd", "overlays/external-etcd", "overlays/multus", "examples"})
    void everyKustomizationRendersToTypedObjectsInOurNamespaceAndEveryContainerOfOursRunsWhatTheBinariesOffer(String kustomization) {
        var objects = render(tree, kustomization);

        assertThat(objects).isNotEmpty();
        for (var object : ManifestsTyped.ofType(objects, HasMetadata.class)) {
            String expected = object.getKind().equals("Namespace") ? null : NAMESPACE;
            assertThat(object.getMetadata().getNamespace()).as("%s %s", object.getKind(), object.getMetadata().getName()).isEqualTo(expected);
        }
        var containers = podSpecs(objects).stream().flatMap(s -> all(s).stream()).filter(c -> !c.getImage().contains("etcd")).toList();
        assertThat(containers).isNotEmpty();
        for (var container : containers) {
            assertThat(container.getImage()).as(container.getName()).isEqualTo(image());
            flags(container);
            assertThat(container.getResources().getRequests()).as("%s requests", container.getName()).containsKeys("cpu", "memory");
        }
    }

    @Test
    void theDaemonSetRunsNugatordOnTheHostsNetworkWithThePathsTheShimAndInstallUse() {
        var daemonSet = ManifestsTyped.named(render(tree, "base"), DaemonSet.class, "nugator");
        var spec = daemonSet.getSpec().getTemplate().getSpec();
        var nugatord = container(spec, "nugatord");
        var flags = flags(nugatord);
        var help = ManifestsFlags.nugatord();

        assertThat(spec.getHostNetwork()).isTrue();
        assertThat(spec.getHostPID()).isFalse();
        assertThat(spec.getTolerations()).anySatisfy(t -> {
            assertThat(t.getOperator()).isEqualTo("Exists");
            assertThat(t.getKey()).isNull();
        });
        assertThat(nugatord.getSecurityContext().getPrivileged()).isTrue();
        // the socket: where nugatord listens is where the shim looks (nugatord's default, install's --socket)
        String socket = flags.get("--socket");
        assertThat(socket).isEqualTo(help.defaultOf("--socket")).isEqualTo(ManifestsFlags.nugatorctl("install").defaultOf("--socket"));
        // every host path mounted where the host has it, so a path means the same inside and out
        for (var mount : nugatord.getVolumeMounts()) {
            assertThat(hostPath(spec, mount)).as("host path of %s", mount.getMountPath()).isEqualTo(mount.getMountPath());
        }
        assertThat(mountOf(nugatord, socket).getReadOnly()).as("the socket's dir is writable").isNotEqualTo(Boolean.TRUE);
        assertThat(mountOf(nugatord, flags.get("--state-dir") + "/x").getMountPath()).isEqualTo(flags.get("--state-dir"));
        // the panel is bound in /run/netns: that bind must reach the host, or it goes with the container
        String panel = help.defaultOf("--panel-netns");
        assertThat(flags).doesNotContainKey("--panel-netns");
        var netns = mountOf(nugatord, panel);
        assertThat(netns.getMountPath()).isEqualTo(Path.of(panel).getParent().toString());
        assertThat(netns.getMountPropagation()).isEqualTo("Bidirectional");
        // delegates run by nugatord are the host's plugins, found on CNI_PATH
        assertThat(mountOf(nugatord, "/opt/cni/bin/bridge").getMountPath()).isEqualTo("/opt/cni/bin");
        // the benchmark: nugatord peaks at 80-130 MiB RSS, and the probes start a nugatorctl beside it
        var resources = nugatord.getResources();
        assertThat(Quantity.getAmountInBytes(resources.getRequests().get("memory"))).isGreaterThanOrEqualTo(Quantity.getAmountInBytes(new Quantity("130Mi")));
        assertThat(Quantity.getAmountInBytes(resources.getLimits().get("memory")))
                .isGreaterThan(Quantity.getAmountInBytes(resources.getRequests().get("memory")));
        // liveness and readiness asked of nugatord over the same socket
        for (var probe : List.of(nugatord.getReadinessProbe(), nugatord.getLivenessProbe())) {
            var command = probe.getExec().getCommand();
            assertThat(command.subList(0, 2)).isEqualTo(List.of("nugatorctl", "probe"));
            assertThat(ManifestsFlags.nugatorctl("probe").flagsOf(command.subList(2, command.size()))).containsEntry("--socket", socket);
        }
        assertThat(nugatord.getLivenessProbe().getExec().getCommand()).contains("--live");
    }

    @Test
    void theInitContainerInstallsChainedAndTheWatchFollowsWithTheHostPathsInstallWrites() {
        var spec = ManifestsTyped.named(render(tree, "base"), DaemonSet.class, "nugator").getSpec().getTemplate().getSpec();
        var install = spec.getInitContainers().getFirst();
        var watch = container(spec, "cni-config-watch");

        assertThat(spec.getInitContainers()).hasSize(1);
        assertThat(flags(install)).containsKey("--chain").doesNotContainKey("--watch");
        assertThat(flags(watch)).containsKeys("--chain", "--watch");
        for (var container : List.of(install, watch)) {
            assertWritesWhereTheHostHasIt(spec, container);
        }
    }

    /** The install step's three host dirs (from its --help), each mounted at host root + host path, writable. */
    static void assertWritesWhereTheHostHasIt(PodSpec spec, Container container) {
        var help = ManifestsFlags.nugatorctl("install");
        String root = flags(container).get("--host-root");
        var matcher = Pattern.compile("<host-root>(/\\S+?)/shim-<version>").matcher(help.help().replaceAll("\\s+", " "));
        assertThat(matcher.find()).as("install --help names where bundles go:\n%s", help.help()).isTrue();
        var hostDirs = List.of(help.defaultOf("--cni-bin-dir").replace("<host-root>", ""),
                help.defaultOf("--cni-conf-dir").replace("<host-root>", ""), matcher.group(1));
        assertThat(hostDirs).containsExactly("/opt/cni/bin", "/etc/cni/net.d", "/opt/nugator");
        for (String dir : hostDirs) {
            var mount = mountOf(container, root + dir + "/x");
            assertThat(mount.getMountPath()).as("%s: %s", container.getName(), dir).isEqualTo(root + dir);
            assertThat(hostPath(spec, mount)).isEqualTo(dir);
            assertThat(mount.getReadOnly()).isNotEqualTo(Boolean.TRUE);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/etcd", "overlays/external-etcd"})
    void theEtcdOverlaysGiveNugatordItsStoreAndTlsFilesFromTheirConfigMapAndSecret(String overlay) {
        var objects = render(tree, overlay);
        var spec = ManifestsTyped.named(objects, DaemonSet.class, "nugator").getSpec().getTemplate().getSpec();
        var nugatord = container(spec, "nugatord");
        var flags = flags(nugatord);

        assertThat(flags.get("--store")).isEqualTo("etcd://$(NUGATOR_ETCD)");
        var endpoints = configMapValue(objects, env(nugatord, "NUGATOR_ETCD"));
        assertThat(endpoints).matches("[a-z0-9.-]+:\\d+(,[a-z0-9.-]+:\\d+)*");
        assertTlsFilesAreInTheirSecret(objects, spec, nugatord, flags);
        if (overlay.equals("overlays/etcd")) {
            var etcd = ManifestsTyped.named(objects, StatefulSet.class, "nugator-etcd");
            String peers = etcd.getSpec().getServiceName() + "." + NAMESPACE + ".svc";
            assertThat(endpoints.split(",")).containsExactlyElementsOf(IntStream.range(0, etcd.getSpec().getReplicas())
                    .mapToObj(i -> etcd.getMetadata().getName() + "-" + i + "." + peers + ":2379").toList());
            assertThat(etcd.getSpec().getReplicas()).isEqualTo(3);
        }
    }

    /** Every --etcd-* file flag names a key of the Secret mounted at its directory. */
    static void assertTlsFilesAreInTheirSecret(List<Object> objects, PodSpec spec, Container container, Map<String, String> flags) {
        for (String flag : List.of("--etcd-cacert", "--etcd-cert", "--etcd-key")) {
            Path file = Path.of(flags.get(flag));
            var mount = mountOf(container, file.toString());
            assertThat(mount.getMountPath()).isEqualTo(file.getParent().toString());
            var secret = ManifestsTyped.named(objects, Secret.class, volume(spec, mount).getSecret().getSecretName());
            assertThat(secret.getData()).as("%s of %s", flag, container.getName()).containsKey(file.getFileName().toString());
        }
    }

    @Test
    void theEtcdMembersAreStartedWithFlagsEtcdHasAndTheFilesOfTheirSecret() {
        var objects = render(tree, "overlays/etcd");
        var etcd = ManifestsTyped.named(objects, StatefulSet.class, "nugator-etcd");
        var spec = etcd.getSpec().getTemplate().getSpec();
        var member = spec.getContainers().getFirst();
        String help = Files.isExecutable(Path.of("/usr/bin/etcd")) ? Proc.of("/usr/bin/etcd", "--help").run().stdout() : "";

        for (String arg : member.getCommand().subList(1, member.getCommand().size())) {
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (!help.isEmpty()) {
                assertThat(help).as("Debian's etcd --help").contains("  " + flag + " ");
            }
            if (flag.endsWith("-file")) {
                Path file = Path.of(arg.substring(arg.indexOf('=') + 1));
                var secret = ManifestsTyped.named(objects, Secret.class, volume(spec, mountOf(member, file.toString())).getSecret().getSecretName());
                assertThat(secret.getData()).containsKey(file.getFileName().toString());
            }
        }
        String initialCluster = member.getCommand().stream().filter(a -> a.startsWith("--initial-cluster=")).findFirst().orElseThrow();
        assertThat(initialCluster.split(",")).hasSize(etcd.getSpec().getReplicas());
    }

    @Test
    void theMultusOverlayInstallsOnlyTheShimAndItsAttachmentIsTheOneInstallPrints() throws IOException {
        var objects = render(tree, "overlays/multus");
        var spec = ManifestsTyped.named(objects, DaemonSet.class, "nugator").getSpec().getTemplate().getSpec();
        var attachment = ManifestsTyped.ofType(objects, ManifestsTyped.NetworkAttachmentDefinition.class).getFirst();

        assertThat(flags(spec.getInitContainers().getFirst())).containsKey("--multus").doesNotContainKey("--chain");
        assertThat(spec.getContainers()).extracting(Container::getName).containsExactly("nugatord");
        assertWritesWhereTheHostHasIt(spec, spec.getInitContainers().getFirst());
        Path host = Files.createTempDirectory("ntmultus-");
        try {
            Files.createDirectories(host.resolve("opt/cni/bin"));
            Files.createDirectories(host.resolve("etc/cni/net.d"));
            var printed = Nugatorctl.bare(Map.of(), "install", "--multus", "--host-root", host.toString()).requireSuccess().stdout();
            var expected = ManifestsBuild.YAML.readTree(printed);
            assertThat(Json.parse(attachment.spec().config())).isEqualTo(Json.parse(expected.at("/spec/config").asText()));
            assertThat(attachment.metadata().getName()).isEqualTo(expected.at("/metadata/name").asText());
        } finally {
            FileTrees.delete(host);
        }
    }

    @Test
    void theAnnouncerJobCarriesTheSeedsNineVariablesAndTheTopologyJobItsFile() throws IOException {
        var objects = render(tree, "examples");
        var announce = ManifestsTyped.named(objects, Job.class, "nugator-announce-sample").getSpec().getTemplate().getSpec();
        var announcer = announce.getContainers().getFirst();
        var topology = ManifestsTyped.named(objects, Job.class, "nugator-topology-lab1").getSpec().getTemplate().getSpec();
        var apply = topology.getContainers().getFirst();
        var seed = Nugatorctl.readEnvFile(Dist.seedFixture("announcer.env"));

        assertThat(seed).hasSize(9);
        assertThat(announcer.getCommand().subList(0, 2)).isEqualTo(List.of("nugatorctl", "announce"));
        assertThat(announcer.getEnv().stream().filter(e -> seed.containsKey(e.getName()))
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue))).isEqualTo(seed);
        assertThat(env(announcer, "NUGATOR_ETCD").getValueFrom().getConfigMapKeyRef().getName()).isEqualTo("nugator-etcd");
        var file = Path.of(flags(apply).get("--file"));
        var mount = mountOf(apply, file.toString());
        var configMap = ManifestsTyped.named(objects, ConfigMap.class, volume(topology, mount).getConfigMap().getName());
        JsonNode lab = ManifestsBuild.YAML.readTree(configMap.getData().get(file.getFileName().toString()));
        assertThat(lab.path("links")).hasSize(3);
        assertThat(env(apply, "NUGATOR_ETCD").getValueFrom().getConfigMapKeyRef().getName()).isEqualTo("nugator-etcd");
    }

    // --- what a container of ours runs, read against the binaries' --help

    /** A container's flags, each one checked against its command's --help; $(VAR) references defined in its env. */
    static Map<String, String> flags(Container container) {
        var command = container.getCommand();
        assertThat(command).as("%s: our image's containers name their command", container.getName()).isNotEmpty();
        int words = 1;
        while (words < command.size() && !command.get(words).startsWith("-")) {
            words++;
        }
        var help = switch (command.getFirst()) {
            case "nugatord" -> ManifestsFlags.nugatord();
            case "nugatorctl" -> ManifestsFlags.nugatorctl(command.subList(1, words).toArray(String[]::new));
            default -> throw new AssertionError(container.getName() + " runs " + command.getFirst() + ", not nugatord or nugatorctl");
        };
        var flags = help.flagsOf(command.subList(words, command.size()));
        var references = Pattern.compile("\\$\\(([A-Z_]+)\\)").matcher(String.join(" ", command));
        while (references.find()) {
            env(container, references.group(1));
        }
        return flags;
    }

    static List<PodSpec> podSpecs(List<Object> objects) {
        var specs = new ArrayList<PodSpec>();
        ManifestsTyped.ofType(objects, DaemonSet.class).forEach(d -> specs.add(d.getSpec().getTemplate().getSpec()));
        ManifestsTyped.ofType(objects, StatefulSet.class).forEach(d -> specs.add(d.getSpec().getTemplate().getSpec()));
        ManifestsTyped.ofType(objects, Job.class).forEach(d -> specs.add(d.getSpec().getTemplate().getSpec()));
        return specs;
    }

    static List<Container> all(PodSpec spec) {
        var containers = new ArrayList<>(spec.getInitContainers());
        containers.addAll(spec.getContainers());
        return containers;
    }

    static Container container(PodSpec spec, String name) {
        return spec.getContainers().stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    static EnvVar env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no environment variable " + name));
    }

    static String configMapValue(List<Object> objects, EnvVar var) {
        var ref = var.getValueFrom().getConfigMapKeyRef();
        var value = ManifestsTyped.named(objects, ConfigMap.class, ref.getName()).getData().get(ref.getKey());
        assertThat(value).as("ConfigMap %s key %s", ref.getName(), ref.getKey()).isNotNull();
        return value;
    }

    /** The mount a path of the container lies in (the deepest one). */
    static VolumeMount mountOf(Container container, String path) {
        return container.getVolumeMounts().stream().filter(m -> Path.of(path).startsWith(m.getMountPath()))
                .max((a, b) -> Integer.compare(a.getMountPath().length(), b.getMountPath().length()))
                .orElseThrow(() -> new AssertionError(container.getName() + ": no volume is mounted where " + path + " is"));
    }

    static Volume volume(PodSpec spec, VolumeMount mount) {
        return spec.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + mount.getName()));
    }

    static String hostPath(PodSpec spec, VolumeMount mount) {
        var hostPath = volume(spec, mount).getHostPath();
        assertThat(hostPath).as("volume %s is a host path", mount.getName()).isNotNull();
        return hostPath.getPath();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!from.relativize(source).toString().matches(".*/certs/(?!\\.gitignore).*")) {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
