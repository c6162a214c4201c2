package dev.nugator.testkit.cri;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.testkit.Json;
import java.nio.file.Path;

/**
 * The CNI network a cluster installs for containerd: a conflist whose first plugin is the pod
 * network (Debian's reference {@code bridge} on {@code cni0} with {@code host-local} IPAM, the
 * cluster's pod CIDR, as a kubeadm "bridge" cluster or flannel would have it), then {@code nugator}
 * chained after it, so nugator gets the pod network's result as {@code prevResult} and appends the
 * pod's link interfaces to it.
 */
public final class CriNetwork {
    public static final String BRIDGE = "cni0";

    private CriNetwork() {}

    /** {bridge + host-local in {@code podCidr}, nugator at {@code socket}} named {@code name}. */
    public static ObjectNode chained(String name, String podCidr, Path leases, Path socket) {
        var conflist = primaryOnly(name, podCidr, leases);
        conflist.withArray("plugins").addObject().put("type", "nugator").put("socket", socket.toString());
        return conflist;
    }

    /** The same pod network without nugator: what a pod's start costs without it. */
    public static ObjectNode primaryOnly(String name, String podCidr, Path leases) {
        var conflist = Json.object().put("cniVersion", "1.0.0").put("name", name);
        var bridge = conflist.putArray("plugins").addObject()
                .put("type", "bridge").put("bridge", BRIDGE).put("isGateway", true).put("ipMasq", false);
        var ipam = bridge.putObject("ipam").put("type", "host-local").put("dataDir", leases.toString());
        ipam.putArray("ranges").addArray().addObject().put("subnet", podCidr);
        ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");
        return conflist;
    }
}
