package dev.nugator.pairing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.Json;

/** Where a pod runs now (observed state): its container, network namespace and node. */
public record PodAttachment(PodRef pod, String containerId, String netns, String node) {

    public ObjectNode toJson() {
        return Json.MAPPER.createObjectNode().put("pod", pod.toString()).put("containerId", containerId)
                .put("netns", netns).put("node", node);
    }

    public static PodAttachment fromJson(ObjectNode json) {
        return new PodAttachment(PodRef.parse(json.path("pod").asText(), PodRef.DEFAULT_NAMESPACE),
                json.path("containerId").asText(), json.path("netns").asText(), json.path("node").asText());
    }
}
