package dev.nugator.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a node's CNI directories are, as {@code install} and {@code uninstall} see them: on the host
 * itself ({@code --host-root /}) or under a mount of it in a container ({@code --host-root /host}).
 * The bin and conf dirs default to their usual places under the host root.
 */
final class HostPaths {
    /** The chained config's file name: it sorts before the usual {@code 10-*.conflist}, so the runtime takes it. */
    static final String CHAIN_FILE = "00-nugator.conflist";

    @Option(names = "--host-root", paramLabel = "DIR", defaultValue = "/",
            description = "Where the host's root file system is seen (/host in the DaemonSet). Default: ${DEFAULT-VALUE}")
    Path hostRoot;

    @Option(names = "--cni-bin-dir", paramLabel = "DIR",
            description = "The host's CNI bin dir, as seen here; it must be under --host-root. Default: <host-root>/opt/cni/bin")
    Path cniBinDir;

    @Option(names = "--cni-conf-dir", paramLabel = "DIR",
            description = "The host's CNI config dir, as seen here. Default: <host-root>/etc/cni/net.d")
    Path cniConfDir;

    Path root() {
        return hostRoot.toAbsolutePath().normalize();
    }

    Path binDir() {
        return cniBinDir != null ? cniBinDir.toAbsolutePath().normalize() : root().resolve("opt/cni/bin");
    }

    Path confDir() {
        return cniConfDir != null ? cniConfDir.toAbsolutePath().normalize() : root().resolve("etc/cni/net.d");
    }

    /** Where bundles are kept: {@code /opt/nugator} on the host, one {@code shim-<version>} directory each. */
    Path bundlesDir() {
        return root().resolve("opt/nugator");
    }

    Path link() {
        return binDir().resolve("nugator");
    }

    Path chainFile() {
        return confDir().resolve(CHAIN_FILE);
    }
}
