package dev.nugator.pairing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.Json;
import dev.nugator.store.KeyValue;

/** Writes a link in the same shape {@link LinkParser} reads: the store's format and the topology file's. */
public final class LinkJson {
    private LinkJson() {}

    public static ObjectNode write(LinkSpec link) {
        var json = Json.MAPPER.createObjectNode().put("id", link.id());
        json.set("a", endpoint(link.a()));
        json.set("b", endpoint(link.b()));
        link.mtu().ifPresent(m -> json.put("mtu", m));
        link.owner().ifPresent(o -> json.put("owner", o.name().toLowerCase(java.util.Locale.ROOT)));
        if (!link.labels().isEmpty()) {
            var labels = json.putObject("labels");
            link.labels().forEach(labels::put);
        }
        json.put("source", link.source());
        return json;
    }

    private static ObjectNode endpoint(Endpoint end) {
        var json = Json.MAPPER.createObjectNode().put("pod", end.pod().toString()).put("ifname", end.ifname());
        var addresses = json.putArray("addresses");
        end.addresses().forEach(a -> addresses.add(a.toString()));
        end.mac().ifPresent(m -> json.put("mac", m));
        return json;
    }

    /**
     * Reads a stored link, ignoring fields it does not know (a newer writer's); an
     * IllegalArgumentException naming every bad field when the record is not a link.
     */
    public static LinkSpec read(ObjectNode json) {
        var parser = LinkParser.forStoredRecords();
        return parser.link(json, "link", json.path("source").asText("unknown"))
                .orElseThrow(() -> new IllegalArgumentException(String.join("; ", parser.errors())));
    }

    static LinkSpec read(KeyValue kv) {
        return read(StoredJson.object(kv));
    }
}
