package dev.nugator.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A network interface inside some namespace, read from {@code ip -j -d addr show}: what a user would
 * look at to decide whether an attachment worked.
 *
 * @param name interface name
 * @param index ifindex inside its namespace
 * @param mac hardware address (may be empty for some kinds)
 * @param kind linkinfo kind ("veth", "macvlan", "bridge", ...) or empty for plain devices like lo
 * @param master name of the bridge it is enslaved to, or empty
 * @param operState kernel operstate ("UP", "DOWN", "UNKNOWN", "LOWERLAYERDOWN")
 * @param flags link flags ("UP", "LOWER_UP", ...)
 * @param addresses the addresses configured on it
 * @param peerIndex for a veth, its peer's ifindex in the peer's namespace (0 when unknown)
 * @param group the interface group (0, the default, when none)
 */
public record Link(String name, int index, String mac, String kind, String master, String operState,
                   Set<String> flags, List<IpAddr> addresses, int peerIndex, String group) {

    /** Administratively up (what {@code ip link set X up} sets). */
    public boolean isUp() {
        return flags.contains("UP");
    }

    public List<IpAddr> ipv4() {
        return addresses.stream().filter(IpAddr::isIpv4).toList();
    }

    /** The first IPv4 address, the usual question "which address did net0 get?". */
    public Optional<IpAddr> firstIpv4() {
        return ipv4().stream().findFirst();
    }

    static Link fromJson(JsonNode node) {
        var flags = new TreeSet<String>();
        node.path("flags").forEach(flag -> flags.add(flag.asText()));
        var addresses = new ArrayList<IpAddr>();
        node.path("addr_info").forEach(a -> {
            if (a.has("local")) {
                addresses.add(new IpAddr(a.path("family").asText(), a.path("local").asText(), a.path("prefixlen").asInt()));
            }
        });
        return new Link(node.path("ifname").asText(), node.path("ifindex").asInt(), node.path("address").asText(""),
                node.path("linkinfo").path("info_kind").asText(""), node.path("master").asText(""),
                node.path("operstate").asText(""), Set.copyOf(flags), List.copyOf(addresses), node.path("link_index").asInt(0),
                node.path("group").asText("default"));
    }
}
