package dev.nugator.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code nugatorctl uninstall}: undoes {@code install} on this host: removes
 * {@value HostPaths#CHAIN_FILE} (the conf dir is as it was: install added only that file), the
 * shim's link when it points at an installed bundle, and every installed bundle. Nothing there is
 * fine. The patch panel is nugatord's: {@code ip netns del nugator-<node>} removes it.
 */
@Command(name = "uninstall", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Remove what install put on this host: <cni-conf-dir>/" + HostPaths.CHAIN_FILE + ", <cni-bin-dir>/nugator"
                + " (when it links to an installed shim) and <host-root>/opt/nugator/shim-*.",
            "Stop nugatord's DaemonSet first, or its install --watch writes the config again."})
final class UninstallCommand extends CliCommand {
    @Mixin HostPaths paths;

    @Override
    void run() {
        if (new ChainConfig(paths, Path.of(InstallDefaults.SOCKET)).remove()) {
            System.err.println("removed " + paths.chainFile());
        }
        var done = new ShimInstaller(paths).uninstall();
        done.forEach(System.err::println);
        System.err.println("uninstalled nugator from " + paths.root());
    }
}
