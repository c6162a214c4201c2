package dev.nugator.testkit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@link ClusterLab}'s etcd holds under {@code /nugator/v1/} (README, "The store"), read
 * with etcdctl as an operator would: VNIs, errors, pod and node records.
 */
public final class ClusterStore {
    public static final String KEYS = "/nugator/v1/";
    public static final String LINKS = KEYS + "links/";
    public static final String TOPOLOGIES = KEYS + "topologies/";
    public static final String PODS = KEYS + "pods/";
    public static final String NODES = KEYS + "nodes/";
    public static final String VNIS = KEYS + "vnis/";
    public static final String LINK_VNIS = KEYS + "link-vnis/";
    public static final String ERRORS = KEYS + "errors/";

    private final EtcdCluster etcd;

    ClusterStore(EtcdCluster etcd) {
        this.etcd = etcd;
    }

    /** {@code vnis/<vni>} → the link id holding it. */
    public Map<Integer, String> vnis() {
        var vnis = new TreeMap<Integer, String>();
        etcd.get(VNIS).forEach((k, v) -> vnis.put(Integer.parseInt(k.substring(VNIS.length())), v.strip()));
        return vnis;
    }

    /** {@code link-vnis/<link id>} → its VNI. */
    public Map<String, Integer> linkVnis() {
        var vnis = new TreeMap<String, Integer>();
        etcd.get(LINK_VNIS).forEach((k, v) -> vnis.put(k.substring(LINK_VNIS.length()), Integer.parseInt(v.strip())));
        return vnis;
    }

    /** {@code errors/<node>/<link id>} → its JSON value ({"link","message"}). */
    public Map<String, String> errors() {
        var errors = new LinkedHashMap<String, String>();
        etcd.get(ERRORS).forEach((k, v) -> errors.put(k.substring(ERRORS.length()), v));
        return errors;
    }

    /** The keys of pod records ({@code pods/<ns>/<name>}). */
    public List<String> podKeys() {
        return etcd.keys(PODS);
    }

    /** The keys of node records ({@code nodes/<node>}): one per running nugatord. */
    public List<String> nodeKeys() {
        return etcd.keys(NODES);
    }
}
