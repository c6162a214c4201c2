package dev.nugator.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What nugator holds on a {@link ClusterLab}'s nodes, read as a user reads it: each daemon's
 * patch panel ({@code ip -n PANEL link}), and each node's own namespace, where nugator must leave
 * nothing (it had lo and eth0 before nugatord came, and keeps them).
 */
public final class ClusterPanels {
    private final ClusterLab lab;

    ClusterPanels(ClusterLab lab) {
        this.lab = lab;
    }

    /** Node {@code i}'s panel as it is now. */
    public PanelView panel(int i) {
        return PanelView.read(lab.daemon(i).panel());
    }

    /** The names of the ports and tunnels in each node's panel now; nodes whose panel holds none are left out. */
    public Map<Integer, Set<String>> names() {
        var all = new TreeMap<Integer, Set<String>>();
        for (int i = 1; i <= lab.size(); i++) {
            var names = panel(i).names();
            if (!names.isEmpty()) {
                all.put(i, new TreeSet<>(names));
            }
        }
        return all;
    }

    /** What each node's own namespace holds besides lo and eth0; nodes without any are left out. */
    public Map<Integer, List<String>> inNodes() {
        var all = new TreeMap<Integer, List<String>>();
        for (int i = 1; i <= lab.size(); i++) {
            var names = lab.node(i).netns().linkNames().stream()
                    .filter(n -> !n.equals("lo") && !n.equals(NodeNamespace.UPLINK)).toList();
            if (!names.isEmpty()) {
                all.put(i, names);
            }
        }
        return all;
    }

    /**
     * Everything nugator holds on the nodes now, by node: every device in the panels and anything
     * in the node namespaces besides lo and eth0. Empty once no pod with links runs.
     */
    public Map<Integer, List<String>> stray() {
        var all = new TreeMap<Integer, List<String>>();
        names().forEach((node, names) -> all.put(node, new ArrayList<>(names)));
        inNodes().forEach((node, names) -> all.computeIfAbsent(node, n -> new ArrayList<>()).addAll(names));
        return all;
    }

    /**
     * Waits until every panel holds exactly what {@code expected} says (no port or tunnel missing,
     * none left over, e.g. a tunnel towards a node the peer left) and no node namespace holds
     * anything of nugator's; the failure shows what was there and the daemons' logs.
     */
    public void await(PanelLayout expected) {
        var want = expected.devices();
        try {
            Await.until("panels holding exactly " + want + " and nothing in the node namespaces",
                    () -> Map.of("panels", names(), "node namespaces", inNodes()),
                    seen -> seen.get("panels").equals(want) && seen.get("node namespaces").isEmpty());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + lab.logTails(), e);
        }
    }

    /** Waits until nothing of nugator's is left on any node (every pod with links gone). */
    public void awaitEmpty() {
        await(PanelLayout.empty());
    }
}
