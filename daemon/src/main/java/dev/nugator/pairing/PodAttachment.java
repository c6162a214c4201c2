package dev.nugator.pairing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.Json;
import dev.nugator.netlink.NetnsPath;
import dev.nugator.store.KeyValue;

/**
 * Where a pod runs now (observed state): its container, network namespace and node, and the
 * nugator network whose attachment carries its links (a pod may be in several).
 */
public record PodAttachment(PodRef pod, String containerId, NetnsPath netns, String node, String network) {

    public PodAttachment(PodRef pod, String containerId, NetnsPath netns, String node) {
        this(pod, containerId, netns, node, "");
    }

    /** Whether this attachment and {@code other} are the same container's links (same network, or one unknown). */
    public boolean sameCarrier(String containerId, String network) {
        return this.containerId.equals(containerId) && (this.network.isEmpty() || network.isEmpty() || this.network.equals(network));
    }

    public ObjectNode toJson() {
        return Json.MAPPER.createObjectNode().put("pod", pod.toString()).put("containerId", containerId)
                .put("netns", netns.toString()).put("node", node).put("network", network);
    }

    /** Reads a stored attachment; fields it does not know are ignored, a missing or bad one is an IllegalArgumentException naming it. */
    public static PodAttachment fromJson(ObjectNode json) {
        return new PodAttachment(StoredJson.parsed(json, "pod", p -> PodRef.parse(p, PodRef.DEFAULT_NAMESPACE)),
                StoredJson.text(json, "containerId"), NetnsPath.parse("netns", StoredJson.text(json, "netns")),
                StoredJson.text(json, "node"), json.path("network").asText(""));
    }

    static PodAttachment read(KeyValue kv) {
        return fromJson(StoredJson.object(kv));
    }
}
