package dev.nugator.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/**
 * Builders for the network configs tests feed to nugator, so that each test states only what it is
 * about (the delegates, the version) and not the same dozen JSON lines. Every builder returns a
 * fresh mutable {@link ObjectNode} the test may change further.
 */
public final class NetConf {
    private NetConf() {}

    /**
     * {@code {"cniVersion":v,"name":name,"type":"nugator","socket":socket,"delegates":[]}}; a null
     * version leaves the key out (nugator then assumes 0.2.0, as for the seed's config).
     */
    public static ObjectNode nugator(String name, String cniVersion, Path socket) {
        var conf = Json.object();
        if (cniVersion != null) {
            conf.put("cniVersion", cniVersion);
        }
        conf.put("name", name);
        conf.put("type", "nugator");
        conf.put("socket", socket.toString());
        conf.putArray("delegates");
        return conf;
    }

    /** Appends delegates to a nugator config and returns it. */
    public static ObjectNode withDelegates(ObjectNode conf, JsonNode... delegates) {
        ArrayNode array = conf.has("delegates") ? (ArrayNode) conf.get("delegates") : conf.putArray("delegates");
        for (JsonNode delegate : delegates) {
            array.add(delegate);
        }
        return conf;
    }

    /**
     * A Debian {@code bridge} delegate with {@code host-local} IPAM in {@code subnet}, the bridge
     * as gateway, no masquerading (no iptables needed) and leases in {@code dataDir}.
     */
    public static ObjectNode bridge(String bridgeName, String subnet, Path dataDir) {
        var conf = Json.object();
        conf.put("type", "bridge");
        conf.put("bridge", bridgeName);
        conf.put("isGateway", true);
        conf.put("ipMasq", false);
        conf.set("ipam", hostLocal(subnet, null, null, dataDir));
        return conf;
    }

    /** A Debian {@code macvlan} delegate in bridge mode on {@code master}, host-local in first..last. */
    public static ObjectNode macvlan(String master, String subnet, String first, String last, Path dataDir) {
        var conf = Json.object();
        conf.put("type", "macvlan");
        conf.put("master", master);
        conf.put("mode", "bridge");
        conf.set("ipam", hostLocal(subnet, first, last, dataDir));
        return conf;
    }

    /** {@code host-local} IPAM; first/last may be null for the whole subnet. */
    public static ObjectNode hostLocal(String subnet, String first, String last, Path dataDir) {
        var ipam = Json.object();
        ipam.put("type", "host-local");
        ipam.put("subnet", subnet);
        if (first != null) {
            ipam.put("rangeStart", first);
        }
        if (last != null) {
            ipam.put("rangeEnd", last);
        }
        ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");
        if (dataDir != null) {
            ipam.put("dataDir", dataDir.toString());
        }
        return ipam;
    }

    /**
     * The seed's {@code nugator-demo.conf} verbatim, plus what a test must add: the daemon's socket,
     * and (when dataDir is not null) the leases of both delegates in {@code dataDir} instead of
     * /var/lib/cni/networks.
     */
    public static ObjectNode seedDemo(Path socket, Path dataDir) {
        var conf = Json.readObject(Dist.seedFixture("nugator-demo.conf"));
        conf.put("socket", socket.toString());
        if (dataDir != null) {
            conf.path("delegates").forEach(d -> ((ObjectNode) d.get("ipam")).put("dataDir", dataDir.toString()));
        }
        return conf;
    }

    /**
     * Gives every delegate an explicit cniVersion. Debian's plugins stop at 1.0.0, so a 1.1.0 test
     * pins its delegates to 1.0.0.
     */
    public static ObjectNode pinDelegates(ObjectNode conf, String cniVersion) {
        conf.path("delegates").forEach(d -> ((ObjectNode) d).put("cniVersion", cniVersion));
        return conf;
    }

    /** The newest version Debian's reference plugins (1.1.1) accept for {@code requested}. */
    public static String delegateVersionFor(String requested) {
        return "1.1.0".equals(requested) ? "1.0.0" : requested;
    }
}
