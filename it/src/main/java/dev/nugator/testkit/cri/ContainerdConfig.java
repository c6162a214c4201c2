package dev.nugator.testkit.cri;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.testkit.Dist;
import dev.nugator.testkit.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one private containerd instance is configured with, all under its directory: the CNI bin
 * dir ({@code nugator}, a symlink to dist's shim, and Debian's reference plugins), one CNI conf dir
 * per runtime handler holding its conflist, and config.toml (version 2, containerd 1.6): root, state, socket
 * and everything the CRI plugin writes kept under one directory, the sandbox image imported by the
 * kit, runc with its state in the same directory, and the CNI bin and conf dirs of the test. Each
 * extra runtime handler (a RuntimeClass) is runc again with its own CNI conf dir, which containerd
 * 1.6 honours per handler ({@code cni_conf_dir}).
 *
 * <p>{@code restrict_oom_score_adj}: this machine refuses a negative oom_score_adj (runc's init dies
 * setting the sandbox's -998), so sandboxes keep containerd's own, as on rootless or nested nodes.
 *
 * <p>Sandbox network namespaces are bound under the state dir ({@code netns_mounts_under_state_dir})
 * instead of /var/run/netns, so CNI_NETNS is a path such as {@code <state>/netns/cni-<uuid>}.
 */
final class ContainerdConfig {
    static final String CRI_PLUGIN = "io.containerd.grpc.v1.cri";
    static final String CRI = "plugins.\"" + CRI_PLUGIN + "\"";
    static final String DEFAULT_HANDLER = "runc";
    /** Plugins that only probe the filesystem and log why they cannot run. */
    private static final String DISABLED = "\"io.containerd.snapshotter.v1.aufs\", \"io.containerd.snapshotter.v1.btrfs\", "
            + "\"io.containerd.snapshotter.v1.zfs\", \"io.containerd.snapshotter.v1.devmapper\"";

    private static final List<String> REFERENCE_PLUGINS = List.of("bridge", "host-local", "loopback", "portmap");

    private ContainerdConfig() {}

    /**
     * Writes the CNI dirs and config.toml under {@code dir}: the default handler's pods get
     * {@code network}, each extra handler's pods its own conflist. Returns config.toml's path.
     */
    static Path write(Path dir, String sandboxImage, ObjectNode network, Map<String, ObjectNode> handlers) {
        Path bin = cniBin(dir);
        Path conf = writeNetwork(dir, "net.d", network);
        var handlerConfs = new LinkedHashMap<String, Path>();
        handlers.forEach((name, conflist) -> handlerConfs.put(name, writeNetwork(dir, "net.d-" + name, conflist)));
        Path config = dir.resolve("config.toml");
        try {
            Files.writeString(config, toml(dir, sandboxImage, bin, conf, handlerConfs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return config;
    }

    /**
     * @param dir the instance's directory (root, state, socket, runc state, /opt replacement)
     * @param sandboxImage the imported pause image
     * @param cniBin the CNI bin dir
     * @param cniConf the default handler's CNI conf dir
     * @param handlers extra runtime handlers by name, each with its CNI conf dir
     */
    private static String toml(Path dir, String sandboxImage, Path cniBin, Path cniConf, Map<String, Path> handlers) {
        var toml = new StringBuilder("""
                version = 2
                root = "%s"
                state = "%s"
                disabled_plugins = [%s]
                [grpc]
                  address = "%s"
                [ttrpc]
                  address = "%s"
                [plugins."io.containerd.internal.v1.opt"]
                  path = "%s"
                [%s]
                  sandbox_image = "%s"
                  disable_apparmor = true
                  restrict_oom_score_adj = true
                  netns_mounts_under_state_dir = true
                [%s.containerd]
                  snapshotter = "overlayfs"
                  default_runtime_name = "%s"
                [%s.cni]
                  bin_dir = "%s"
                  conf_dir = "%s"
                  max_conf_num = 1
                """.formatted(root(dir), state(dir), DISABLED, socket(dir), dir.resolve("containerd.ttrpc.sock"),
                dir.resolve("opt"), CRI, sandboxImage, CRI, DEFAULT_HANDLER, CRI, cniBin, cniConf));
        runtime(toml, dir, DEFAULT_HANDLER, null);
        handlers.forEach((name, conf) -> runtime(toml, dir, name, conf));
        return toml.toString();
    }

    static Path root(Path dir) {
        return dir.resolve("root");
    }

    static Path state(Path dir) {
        return dir.resolve("state");
    }

    static Path socket(Path dir) {
        return dir.resolve("containerd.sock");
    }

    /** runc's --root: where the shims' runc keeps its container state (not /run/containerd/runc). */
    static Path runcRoot(Path dir) {
        return dir.resolve("runc");
    }

    private static Path cniBin(Path dir) {
        try {
            Path bin = Files.createDirectories(dir.resolve("cni").resolve("bin"));
            Files.createSymbolicLink(bin.resolve("nugator"), Dist.shim());
            for (String plugin : REFERENCE_PLUGINS) {
                Files.createSymbolicLink(bin.resolve(plugin), Dist.SYSTEM_CNI_BIN.resolve(plugin));
            }
            return bin;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path writeNetwork(Path dir, String dirName, ObjectNode conflist) {
        try {
            Path conf = Files.createDirectories(dir.resolve("cni").resolve(dirName));
            Files.writeString(conf.resolve("10-" + conflist.path("name").asText("net") + ".conflist"), Json.write(conflist));
            return conf;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void runtime(StringBuilder toml, Path dir, String name, Path cniConf) {
        toml.append("""
                [%s.containerd.runtimes.%s]
                  runtime_type = "io.containerd.runc.v2"
                """.formatted(CRI, name));
        if (cniConf != null) {
            toml.append("  cni_conf_dir = \"%s\"\n  cni_max_conf_num = 1\n".formatted(cniConf));
        }
        toml.append("""
                [%s.containerd.runtimes.%s.options]
                  BinaryName = "/usr/sbin/runc"
                  Root = "%s"
                  SystemdCgroup = false
                """.formatted(CRI, name, runcRoot(dir)));
    }
}
