package dev.nugator.pairing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.Json;
import java.net.InetAddress;

/**
 * A running nugatord as the other nodes see it: where its VXLAN ends listen (its underlay
 * address), on which UDP port, and the MTU of its underlay interface (0 when it did not say),
 * which bounds the frames a link to one of its pods can carry.
 */
public record NodeRecord(String name, InetAddress address, int vxlanPort, int underlayMtu) {

    public NodeRecord(String name, InetAddress address, int vxlanPort) {
        this(name, address, vxlanPort, 0);
    }

    public ObjectNode toJson() {
        var json = Json.MAPPER.createObjectNode().put("name", name).put("address", address.getHostAddress()).put("vxlanPort", vxlanPort);
        if (underlayMtu > 0) {
            json.put("underlayMtu", underlayMtu);
        }
        return json;
    }

    public static NodeRecord fromJson(ObjectNode json) {
        return new NodeRecord(json.path("name").asText(), InetAddress.ofLiteral(json.path("address").asText()),
                json.path("vxlanPort").asInt(), json.path("underlayMtu").asInt(0));
    }

    @Override
    public String toString() {
        return name + " (" + address.getHostAddress() + ", VXLAN port " + vxlanPort + ")";
    }
}
