package dev.nugator.link;

import dev.nugator.netlink.NamespaceSwitcher;
import dev.nugator.netlink.NetNamespace;
import dev.nugator.netlink.RtNetlink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The patch panel: a network namespace of nugatord's own on this node. Every link end is a veth
 * pair whose pod side is in the pod and whose other side, the port, is here; ports are wired to
 * each other or to a link's VXLAN device with tc. Rewiring happens here only, so a pod's
 * interfaces never change while it runs.
 *
 * <p>The namespace is bound at a path (default {@code /run/netns/nugator-<node>}, where {@code ip
 * netns} shows it), made when missing and adopted when present: it outlives nugatord, so a restart
 * or an upgrade cuts no cable. Its ports carry no addresses and IPv6 is off in it, so the panel
 * itself never sends a frame into a pod (no router solicitations, no MLD).
 */
public final class Panel implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Panel.class);
    private static final Path RUN_NETNS = Path.of("/run/netns");
    private static final List<String> QUIET = List.of("/proc/sys/net/ipv6/conf/default/disable_ipv6",
            "/proc/sys/net/ipv6/conf/all/disable_ipv6");

    private final Path path;
    private final NetNamespace namespace;
    private final RtNetlink rtnl;

    private Panel(Path path, NetNamespace namespace, RtNetlink rtnl) {
        this.path = path;
        this.namespace = namespace;
        this.rtnl = rtnl;
    }

    /** Where a node's panel is bound unless {@code --panel-netns} says otherwise. */
    public static Path defaultPath(String node) {
        if (node.isEmpty() || node.contains("/") || node.equals(".") || node.equals("..")) {
            throw new IllegalArgumentException("node name '" + node + "' cannot name a panel namespace file: give --panel-netns PATH");
        }
        return RUN_NETNS.resolve("nugator-" + node);
    }

    /** Adopts the panel bound at {@code path}, or makes it there. */
    public static Panel open(Path path) {
        var namespace = NetNamespace.openOrCreate(path);
        try (var own = NetNamespace.current()) {
            if (own.inode() == namespace.inode()) {
                throw new IllegalArgumentException("the panel " + path + " is nugatord's own network namespace: the panel must be a"
                        + " namespace of its own (nugatord makes one when the path does not exist)");
            }
            NamespaceSwitcher.shared().call(namespace, Panel::quiet);
            if (!sharedMount(path)) {
                log.warn("the panel {} is bound in a mount namespace of nugatord's own (as `ip netns exec` makes): other processes"
                        + " do not see it and it ends with nugatord, cutting every link. Run nugatord in the host's mount namespace"
                        + " (nsenter --net=...), or with /run/netns mounted shared (bidirectional propagation)", path);
            }
            return new Panel(path, namespace, RtNetlink.openIn(namespace));
        } catch (RuntimeException e) {
            namespace.close();
            throw e;
        }
    }

    /** Removes a panel (uninstall, tests): every port and tunnel in it goes, and with a port its pod side. */
    public static void remove(Path path) {
        NetNamespace.remove(path);
    }

    /**
     * Whether the panel's bind mount propagates to the other mount namespaces (a shared mount that
     * is nobody's slave), from /proc/self/mountinfo: mount point is field 5, the optional fields
     * ({@code shared:N}, {@code master:N}) run from field 7 to the "-".
     */
    static boolean sharedMount(Path path) {
        try {
            boolean shared = false;
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] fields = line.split(" ");
                if (fields.length > 6 && unescape(fields[4]).equals(path.toString())) {
                    var optional = java.util.Arrays.asList(fields).subList(6, java.util.Arrays.asList(fields).indexOf("-"));
                    shared = optional.stream().anyMatch(f -> f.startsWith("shared:")) && optional.stream().noneMatch(f -> f.startsWith("master:"));
                }
            }
            return shared;
        } catch (IOException | RuntimeException e) {
            return true;   // cannot tell: say nothing rather than something false
        }
    }

    /** mountinfo escapes space, tab, newline and backslash as \ooo. */
    private static String unescape(String field) {
        var out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static Void quiet() {
        for (String sysctl : QUIET) {
            try {
                Files.writeString(Path.of(sysctl), "1");
            } catch (NoSuchFileException e) {
                // a kernel without IPv6 sends nothing to begin with
            } catch (IOException e) {
                throw new UncheckedIOException("cannot turn IPv6 off in the panel (" + sysctl + ")", e);
            }
        }
        return null;
    }

    public Path path() {
        return path;
    }

    NetNamespace namespace() {
        return namespace;
    }

    RtNetlink rtnl() {
        return rtnl;
    }

    @Override
    public void close() {
        rtnl.close();
        namespace.close();
    }

    @Override
    public String toString() {
        return "panel " + path;
    }
}
