package dev.nugator.pairing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.Json;
import dev.nugator.store.KeyValue;
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

    /** Reads a stored node; fields it does not know are ignored, a missing or bad one is an IllegalArgumentException naming it. */
    public static NodeRecord fromJson(ObjectNode json) {
        int mtu = json.has("underlayMtu") ? StoredJson.number(json, "underlayMtu", 0, LinkParser.MAX_MTU) : 0;
        return new NodeRecord(StoredJson.text(json, "name"), StoredJson.parsed(json, "address", InetAddress::ofLiteral),
                StoredJson.number(json, "vxlanPort", 1, 65535), mtu);
    }

    static NodeRecord read(KeyValue kv) {
        return fromJson(StoredJson.object(kv));
    }

    @Override
    public String toString() {
        return name + " (" + address.getHostAddress() + ", VXLAN port " + vxlanPort + ")";
    }
}
