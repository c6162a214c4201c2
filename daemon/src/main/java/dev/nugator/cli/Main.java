package dev.nugator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nugatorctl}: the user's CLI for links. It talks to the local nugatord over its socket. */
@Command(name = "nugatorctl", mixinStandardHelpOptions = true, version = "nugatorctl 0.1.0",
        description = "Manage nugator's point-to-point links between pods: announce one, apply a topology of many, see their status; install the shim on a host.",
        subcommands = {AnnounceCommand.class, TopologyCommand.class, StatusCommand.class, InstallCommand.class,
            UninstallCommand.class, ProbeCommand.class})
public final class Main implements Runnable {
    /** Exit code when nugatord cannot be reached. */
    static final int UNREACHABLE = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.exit(new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: announce, topology, status, install, uninstall or probe");
    }
}
