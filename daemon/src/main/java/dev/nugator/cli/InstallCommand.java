package dev.nugator.cli;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nugatorctl install}: the DaemonSet's init container (or a person on a host) puts the
 * self-contained shim into the host's CNI bin dir and, in chained mode, the node's network with
 * nugator appended into its CNI conf dir. Safe to run again: what is already right is left alone.
 * Progress goes to stderr; stdout carries only the NetworkAttachmentDefinition of {@code --multus}.
 */
@Command(name = "install", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Install the nugator CNI shim (with its own Java runtime) on this host: copy the shim bundle to"
                + " <host-root>/opt/nugator/shim-<version>/ and point <cni-bin-dir>/nugator at it (switched in one rename).",
            "--chain: also write <cni-conf-dir>/" + HostPaths.CHAIN_FILE + ", the node's primary network (the first config"
                    + " in lexical order) with nugator appended; --watch keeps it in step with the primary.",
            "--multus: write no CNI config; print the NetworkAttachmentDefinition to apply."})
final class InstallCommand extends CliCommand {
    @Mixin HostPaths paths;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(names = "--chain", required = true, description = "Chain nugator after the node's primary network.") boolean chain;
        @Option(names = "--multus", required = true, description = "nugator as a Multus secondary network.") boolean multus;
    }

    @Option(names = "--watch", description = "With --chain: keep running and rewrite the config whenever the primary changes.")
    boolean watch;

    @Option(names = "--recheck", paramLabel = "SECONDS", defaultValue = "30", hidden = true,
            description = "With --watch: look again at least this often, in case a change went unreported.")
    int recheckSeconds;

    @Option(names = "--socket", paramLabel = "PATH", defaultValue = InstallDefaults.SOCKET,
            description = "nugatord's socket on the host, written into the network config. Default: ${DEFAULT-VALUE}")
    Path socket;

    @Option(names = "--bundle", paramLabel = "DIR",
            description = "The shim bundle to install. Default: the shim-bundle of this nugatorctl's dist directory")
    Path bundle;

    @Override
    void run() {
        if (watch && !mode.chain) {
            throw new CliFailure(2, "--watch follows the primary network of --chain; --multus writes no config to follow");
        }
        var shim = ShimBundle.at(bundle != null ? bundle.toAbsolutePath().normalize() : ShimBundle.besideThisProgram());
        new ShimInstaller(paths).install(shim).forEach(System.err::println);
        var config = new ChainConfig(paths, socket);
        if (mode.multus) {
            if (config.remove()) {
                System.err.println("removed " + paths.chainFile() + " of an earlier --chain install");
            }
            System.out.print(MultusAttachment.yaml(socket));
            return;
        }
        var sync = new ChainSync(paths, config, System.err);
        sync.once();
        if (watch) {
            System.err.println("watching " + paths.confDir() + " for changes of the primary network");
            sync.follow(Duration.ofSeconds(Math.max(1, recheckSeconds)));
        }
    }
}
