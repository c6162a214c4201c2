package dev.nugator.plugin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.CniArgs;
import dev.nugator.cni.CniEnvironment;
import dev.nugator.cni.CniError;
import dev.nugator.cni.Json;
import dev.nugator.cni.NetworkConfig;
import dev.nugator.cni.Result;
import dev.nugator.link.LinkEngine;
import dev.nugator.link.PodEnd;
import dev.nugator.netlink.NetnsPath;
import dev.nugator.pairing.PodRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The links side of the CNI commands: which pod a call is for, whether its network carries
 * links, and how link ends appear in a result.
 */
final class PodLinks {
    private PodLinks() {}

    /** The pod a call is for: K8S_POD_NAMESPACE (default "default") and K8S_POD_NAME; none without a name. */
    static Optional<PodRef> pod(CniArgs args) {
        var name = args.get("K8S_POD_NAME").filter(n -> !n.isEmpty());
        if (name.isEmpty()) {
            return Optional.empty();
        }
        String namespace = args.get("K8S_POD_NAMESPACE").filter(n -> !n.isEmpty()).orElse(PodRef.DEFAULT_NAMESPACE);
        try {
            return Optional.of(new PodRef(namespace, name.get()));
        } catch (IllegalArgumentException e) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_ARGS K8S_POD_NAMESPACE/K8S_POD_NAME: " + e.getMessage());
        }
    }

    /**
     * Whether this network attaches the pod's links: yes unless {@code "links": false}. A pod
     * in several nugator networks keeps its links on one of them.
     */
    static boolean enabled(NetworkConfig config) {
        var links = config.raw().get("links");
        if (links == null || links.isNull()) {
            return true;
        }
        if (!links.isBoolean()) {
            throw CniError.invalidConfig("links", "must be true or false");
        }
        return links.asBoolean();
    }

    static Optional<LinkEngine> engineFor(Optional<LinkEngine> engine, NetworkConfig config) {
        return enabled(config) ? engine : Optional.empty();
    }

    /**
     * The pod's uid as the kubelet sends it (K8S_POD_UID), empty when absent; it tells a late DEL of
     * an earlier pod of the same name from the DEL of the pod running now.
     */
    static String uid(CniArgs args) {
        String uid = args.get("K8S_POD_UID").orElse("");
        if (!uid.isEmpty() && !UID.matcher(uid).matches()) {
            throw new CniError(CniError.INVALID_ENVIRONMENT,
                    "CNI_ARGS K8S_POD_UID: '" + uid.substring(0, Math.min(uid.length(), 64)) + "' is not a pod uid (letters, digits, '.', '_', '-', at most 128)");
        }
        return uid;
    }

    private static final java.util.regex.Pattern UID = java.util.regex.Pattern.compile("^[A-Za-z0-9._-]{1,128}$");

    /** The pod's namespace, for its link ends: CNI_NETNS, checked once here. */
    static NetnsPath netns(CniEnvironment env) {
        try {
            return NetnsPath.parse("CNI_NETNS", env.netns());
        } catch (IllegalArgumentException e) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, e.getMessage());
        }
    }

    /** The link ends in the pod, as result interfaces with their addresses. */
    static Result result(List<PodEnd> ends) {
        var interfaces = new ArrayList<ObjectNode>();
        var ips = new ArrayList<Result.IpConfig>();
        for (var end : ends) {
            var iface = Json.MAPPER.createObjectNode().put("name", end.endpoint().ifname());
            if (!end.mac().isEmpty()) {
                iface.put("mac", end.mac());
            }
            iface.put("sandbox", end.netns().toString());
            int index = interfaces.size();
            interfaces.add(iface);
            end.endpoint().addresses().forEach(a -> ips.add(new Result.IpConfig(a.toString(), Optional.empty(), Optional.of(index))));
        }
        return new Result(interfaces, ips, List.of(), Optional.empty());
    }
}
