package dev.nugator.cli;

import dev.nugator.cni.Json;
import java.nio.file.Path;

/**
 * The NetworkAttachmentDefinition that makes nugator a Multus secondary network: no delegates and
 * no prevResult, so nugator adds only the pod's links ("Multus creates the cluster network, then
 * calls nugator secondarily", as the seed planned). Pods ask for it with the annotation
 * {@code k8s.v1.cni.cncf.io/networks: nugator}.
 */
final class MultusAttachment {
    private MultusAttachment() {}

    static String yaml(Path socket) {
        var config = Json.MAPPER.createObjectNode().put("cniVersion", InstallDefaults.CNI_VERSION)
                .put("name", InstallDefaults.NETWORK).put("type", "nugator").put("socket", socket.toString());
        // single-quoted YAML: JSON has no quote of that kind but in strings, where YAML doubles it
        return """
                apiVersion: k8s.cni.cncf.io/v1
                kind: NetworkAttachmentDefinition
                metadata:
                  name: %s
                spec:
                  config: '%s'
                """.formatted(InstallDefaults.NETWORK, Json.text(config).replace("'", "''"));
    }
}
