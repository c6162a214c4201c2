package dev.nugator.pairing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.Json;
import java.net.InetAddress;

/**
 * A running nugatord as the other nodes see it: where its VXLAN ends listen (its underlay
 * address) and on which UDP port.
 */
public record NodeRecord(String name, InetAddress address, int vxlanPort) {

    public ObjectNode toJson() {
        return Json.MAPPER.createObjectNode().put("name", name).put("address", address.getHostAddress()).put("vxlanPort", vxlanPort);
    }

    public static NodeRecord fromJson(ObjectNode json) {
        return new NodeRecord(json.path("name").asText(), InetAddress.ofLiteral(json.path("address").asText()),
                json.path("vxlanPort").asInt());
    }

    @Override
    public String toString() {
        return name + " (" + address.getHostAddress() + ", VXLAN port " + vxlanPort + ")";
    }
}
