package dev.nugator.cni;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An ADD result in one shape for every version (the 1.1.0 shape). Interfaces, routes and dns stay
 * JSON trees so that fields we do not interpret pass through; addresses are typed because merging
 * renumbers their interface index. {@link ResultCodec} reads and writes the versions.
 */
public record Result(List<ObjectNode> interfaces, List<IpConfig> ips, List<ObjectNode> routes, Optional<ObjectNode> dns) {

    /** One address; {@code iface} is the index into {@link #interfaces()}, absent when unknown. */
    public record IpConfig(String address, Optional<String> gateway, Optional<Integer> iface) {
        public boolean isV6() {
            return address.contains(":");
        }

        IpConfig shifted(int offset) {
            return new IpConfig(address, gateway, iface.map(i -> i + offset));
        }
    }

    public Result {
        interfaces = List.copyOf(interfaces);
        ips = List.copyOf(ips);
        routes = List.copyOf(routes);
    }

    public static Result empty() {
        return new Result(List.of(), List.of(), List.of(), Optional.empty());
    }

    /** This result followed by another plugin's: its interface indexes shift past ours. */
    public Result append(Result other) {
        var mergedInterfaces = new ArrayList<>(interfaces);
        mergedInterfaces.addAll(other.interfaces);
        var mergedIps = new ArrayList<>(ips);
        other.ips.forEach(ip -> mergedIps.add(ip.shifted(interfaces.size())));
        var mergedRoutes = new ArrayList<>(routes);
        mergedRoutes.addAll(other.routes);
        var mergedDns = dns.filter(d -> !d.isEmpty()).or(() -> other.dns);
        return new Result(mergedInterfaces, mergedIps, mergedRoutes, mergedDns);
    }
}
