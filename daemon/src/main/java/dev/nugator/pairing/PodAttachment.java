package dev.nugator.pairing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.Json;
import dev.nugator.netlink.NetnsPath;
import dev.nugator.store.KeyValue;

/**
 * Where a pod runs now (observed state): its container (the sandbox), network namespace and node,
 * the nugator network whose attachment carries its links (a pod may be in several), and the pod's
 * uid as the kubelet gives it (K8S_POD_UID; empty from runtimes that send none, such as podman).
 */
public record PodAttachment(PodRef pod, String containerId, NetnsPath netns, String node, String network, String uid) {

    public PodAttachment(PodRef pod, String containerId, NetnsPath netns, String node) {
        this(pod, containerId, netns, node, "", "");
    }

    public PodAttachment(PodRef pod, String containerId, NetnsPath netns, String node, String network) {
        this(pod, containerId, netns, node, network, "");
    }

    /** Whether this attachment and {@code other} are the same container's links (same network, or one unknown). */
    public boolean sameCarrier(String containerId, String network) {
        return this.containerId.equals(containerId) && (this.network.isEmpty() || network.isEmpty() || this.network.equals(network));
    }

    /**
     * Whether a DEL of {@code containerId} on {@code network} from the pod with {@code uid} is about
     * this attachment: the same container's links, and not a pod of another uid (the kubelet can
     * deliver a late DEL of an earlier pod of the same name). An empty uid on either side says nothing.
     */
    public boolean sameSandbox(String containerId, String network, String uid) {
        return sameCarrier(containerId, network) && (uid.isEmpty() || this.uid.isEmpty() || this.uid.equals(uid));
    }

    public ObjectNode toJson() {
        var json = Json.MAPPER.createObjectNode().put("pod", pod.toString()).put("containerId", containerId)
                .put("netns", netns.toString()).put("node", node).put("network", network);
        return uid.isEmpty() ? json : json.put("uid", uid);
    }

    /** Reads a stored attachment; fields it does not know are ignored, a missing or bad one is an IllegalArgumentException naming it. */
    public static PodAttachment fromJson(ObjectNode json) {
        return new PodAttachment(StoredJson.parsed(json, "pod", p -> PodRef.parse(p, PodRef.DEFAULT_NAMESPACE)),
                StoredJson.text(json, "containerId"), NetnsPath.parse("netns", StoredJson.text(json, "netns")),
                StoredJson.text(json, "node"), json.path("network").asText(""), json.path("uid").asText(""));
    }

    static PodAttachment read(KeyValue kv) {
        return fromJson(StoredJson.object(kv));
    }
}
