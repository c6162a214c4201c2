package dev.nugator.testkit;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the panels of a cluster must hold, worked out from where each link's pods run (README, "The
 * patch panel"): a port per running end, on its pod's node; and, for a link whose pods run on two
 * nodes, its tunnel in both panels. Nothing else: a port or tunnel beyond these is a leftover.
 * Which end is a link's side "a" is the product's choice (status shows it), not the topology
 * file's order: give the link as status shows it.
 *
 * <pre>{@code
 * lab.panels().await(PanelLayout.empty().link(lab.status().link(pa.end("eth1")), pa, pb));
 * // pa on node 1, pb on node 2, pa's end side a: node 1 holds <id>-a and <id>-v, node 2 <id>-b and <id>-v
 * }</pre>
 */
public final class PanelLayout {
    /** A side whose pod runs nowhere. */
    public static final int NOWHERE = 0;

    private final Map<Integer, Set<String>> devices = new TreeMap<>();

    private PanelLayout() {}

    public static PanelLayout empty() {
        return new PanelLayout();
    }

    /**
     * The link as status shows it (its id, which end is side a and which b), each end on the node
     * of its pod among {@code running}; an end whose pod is not among them runs nowhere.
     */
    public PanelLayout link(LinkStatusReport.Entry link, ClusterPod... running) {
        return link(link.id(), nodeOf(link.a().end(), running), nodeOf(link.b().end(), running));
    }

    /** Link {@code linkId} with its side a's pod on node {@code nodeA} and side b's on {@code nodeB} ({@link #NOWHERE}: not running). */
    public PanelLayout link(String linkId, int nodeA, int nodeB) {
        if (nodeA != NOWHERE) {
            add(nodeA, PanelPorts.port(linkId, "a"));
        }
        if (nodeB != NOWHERE) {
            add(nodeB, PanelPorts.port(linkId, "b"));
        }
        if (nodeA != NOWHERE && nodeB != NOWHERE && nodeA != nodeB) {
            add(nodeA, PanelPorts.tunnel(linkId));
            add(nodeB, PanelPorts.tunnel(linkId));
        }
        return this;
    }

    /** Node → the names of the devices its panel must hold; nodes that must hold none are left out. */
    public Map<Integer, Set<String>> devices() {
        var copy = new TreeMap<Integer, Set<String>>();
        devices.forEach((node, names) -> copy.put(node, Set.copyOf(names)));
        return copy;
    }

    /** Ends read "namespace/pod:ifname". */
    private static int nodeOf(String end, ClusterPod[] pods) {
        return Arrays.stream(pods).filter(p -> end.startsWith(p.ref() + ":")).mapToInt(ClusterPod::node).findFirst().orElse(NOWHERE);
    }

    private void add(int node, String name) {
        devices.computeIfAbsent(node, n -> new TreeSet<>()).add(name);
    }

    @Override
    public String toString() {
        return devices.toString();
    }
}
