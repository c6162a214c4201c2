package dev.nugator.daemon;

import dev.nugator.cli.EtcdTlsOptions;
import dev.nugator.link.Panel;
import dev.nugator.link.ThisNode;
import dev.nugator.store.StoreSpec;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nugatord}: the node daemon the nugator CNI shim talks to. */
@Command(name = "nugatord", mixinStandardHelpOptions = true, version = "nugatord 0.1.0",
        description = {
            "The nugator node daemon. It serves the CNI calls that the nugator shim forwards over a UNIX"
                    + " socket, runs the delegate plugins and records each attachment, so that DEL, CHECK and GC"
                    + " work after a crash.",
            "Runs in the foreground as root; SIGTERM or Ctrl-C stops it."},
        sortOptions = false)
public final class Main implements Callable<Integer> {
    @Option(names = "--socket", paramLabel = "PATH", description = "UNIX socket to listen on (mode 0600). Default: ${DEFAULT-VALUE}")
    Path socket = Path.of("/run/nugator/nugator.sock");

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where attachment records are kept. Default: ${DEFAULT-VALUE}")
    Path stateDir = Path.of("/var/lib/nugator");

    @Option(names = "--store", paramLabel = "STORE",
            description = "Where links and pod attachments are kept: embedded:PATH (one node; default <state-dir>/store.db)"
                    + " or etcd://HOST:PORT[,HOST:PORT...] (many nodes).")
    String store;

    @CommandLine.Mixin
    EtcdTlsOptions etcdTls;

    @Option(names = "--node", paramLabel = "NAME", description = "This node's name in the store. Default: the host name")
    String node;

    @Option(names = "--node-address", paramLabel = "IP",
            description = "This node's underlay address: VXLAN ends of links to other nodes' pods use it, and other nodes send"
                    + " to it. Default: the address of the interface holding the default route in nugatord's namespace.")
    String nodeAddress;

    @Option(names = "--vxlan-port", paramLabel = "PORT", description = "UDP port of VXLAN links; the same on every node. Default: ${DEFAULT-VALUE}")
    int vxlanPort = 4789;

    @Option(names = "--panel-netns", paramLabel = "PATH",
            description = "Where this node's patch panel (the network namespace holding every link's panel side, tc wiring"
                    + " and VXLAN devices) is bound; made when missing, adopted when present, so it outlives restarts."
                    + " Default: /run/netns/nugator-<node>")
    Path panelNetns;

    @Option(names = "--resync-interval", paramLabel = "SECONDS",
            description = "How often every link with an end on this node is compared with the kernel and repaired, besides"
                    + " the store's change events. Between 1 and 3600. Default: ${DEFAULT-VALUE}")
    int resyncSeconds = 30;

    @Option(names = "--log-file", paramLabel = "FILE", description = "Write the log here instead of stderr.")
    Path logFile;

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "trace, debug, info, warn or error. debug also logs every parsed network config. Default: ${DEFAULT-VALUE}")
    LogLevel logLevel = LogLevel.info;

    @Option(names = "--command-timeout", paramLabel = "SECONDS",
            description = "Deadline for one CNI command, delegates included; past it ADD fails with code 11 and is undone."
                    + " Between 1 and 120. Default: ${DEFAULT-VALUE}")
    int commandTimeoutSeconds = 60;

    enum LogLevel { trace, debug, info, warn, error }

    /** --node-address, or the default route's; a store shared by nodes cannot do without one. */
    private Optional<InetAddress> underlayAddress(StoreSpec storeSpec) {
        if (nodeAddress != null) {
            try {
                var address = InetAddress.ofLiteral(nodeAddress);
                if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
                    throw new IllegalArgumentException("not a unicast address");
                }
                return Optional.of(address);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--node-address '" + nodeAddress + "' is not a unicast IPv4 or IPv6 address");
            }
        }
        var found = UnderlayAddress.ofDefaultRoute();
        if (found.isEmpty() && storeSpec instanceof StoreSpec.Etcd) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "this namespace has no default route to take the node's underlay address from: give --node-address IP"
                            + " (links to other nodes' pods are VXLAN tunnels to and from it)");
        }
        return found;
    }

    public static void main(String[] args) {
        // bound now to the real stderr: once the log is configured, System.err is the log's stream
        var stderr = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        var cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).setErr(stderr)
                .setExecutionExceptionHandler((e, commandLine, parsed) -> {
                    commandLine.getErr().println("nugatord: " + describe(e));
                    return 1;
                });
        System.exit(cli.execute(args));
    }

    /** Start-up failures as one line a person can act on, not a stack trace. */
    static String describe(Exception e) {
        if (e instanceof java.nio.file.FileSystemException fs) {
            String reason = fs.getReason() != null ? fs.getReason() : switch (fs) {
                case java.nio.file.NoSuchFileException missing -> "no such file or directory";
                case java.nio.file.AccessDeniedException denied -> "permission denied";
                default -> e.getClass().getSimpleName();
            };
            return "cannot use " + fs.getFile() + ": " + reason;
        }
        if (e instanceof java.io.UncheckedIOException unchecked) {
            return unchecked.getMessage() + ": " + describe(unchecked.getCause());
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    @Override
    public Integer call() throws Exception {
        // First of all: whatever logs first (netty, at the TLS set-up) fixes slf4j-simple's settings
        Logging.configure(logLevel.name(), logFile);
        // --socket names what nugatord will replace: refused before anything is made (state dir, store, panel)
        SocketFile.clearStale(socket);
        // The shim waits 180 s; a failed ADD's undo may take up to 30 s more after the deadline.
        if (commandTimeoutSeconds < 1 || commandTimeoutSeconds > 120) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--command-timeout must be between 1 and 120 seconds (the shim waits 180 s, and undoing a failed ADD takes time too), got "
                            + commandTimeoutSeconds);
        }
        StoreSpec storeSpec;
        try {
            storeSpec = etcdTls.apply(StoreSpec.parse(store, stateDir));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        if (vxlanPort < 1 || vxlanPort > 65535) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--vxlan-port must be between 1 and 65535, got " + vxlanPort);
        }
        if (resyncSeconds < 1 || resyncSeconds > 3600) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--resync-interval must be between 1 and 3600 seconds, got " + resyncSeconds);
        }
        String name = node == null ? HostName.get() : node;
        var address = underlayAddress(storeSpec);
        var self = new ThisNode(name, address, vxlanPort, UnderlayAddress.mtu(address));
        Path panel;
        try {
            panel = panelNetns != null ? panelNetns.toAbsolutePath().normalize() : Panel.defaultPath(name);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        var daemon = new Nugatord(socket, stateDir, storeSpec, self, panel, Duration.ofSeconds(commandTimeoutSeconds),
                Duration.ofSeconds(resyncSeconds));
        return daemon.runUntilStopped();
    }
}
