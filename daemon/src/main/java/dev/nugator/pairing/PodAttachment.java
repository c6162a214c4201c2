package dev.nugator.pairing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.Json;
import dev.nugator.netlink.NetnsPath;

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

    public static PodAttachment fromJson(ObjectNode json) {
        return new PodAttachment(PodRef.parse(json.path("pod").asText(), PodRef.DEFAULT_NAMESPACE),
                json.path("containerId").asText(), NetnsPath.parse("netns", json.path("netns").asText()), json.path("node").asText(),
                json.path("network").asText(""));
    }
}
