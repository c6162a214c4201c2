package dev.nugator.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A VXLAN device's tunnel settings as {@code ip -d link show} reports them: what a user checks to
 * see where a cross-node link's frames go. nugator's tunnels live in the nodes' panels (a link's
 * {@code <prefix>-v}, see {@link ClusterEnd}), never in a pod.
 *
 * @param name interface name
 * @param vni the VXLAN network identifier ({@code id})
 * @param remote the unicast remote underlay address, or "" when none is set
 * @param local the local underlay address, or "" when none is set
 * @param port the UDP destination port ({@code dstport})
 * @param learning whether the device learns remote addresses from incoming frames
 */
public record Vxlan(String name, int vni, String remote, String local, int port, boolean learning) {

    /** The VXLAN settings of {@code ifname} in {@code netns}; empty when it is missing or not a VXLAN. */
    public static Optional<Vxlan> in(Netns netns, String ifname) {
        var result = Proc.of("ip", "-n", netns.name(), "-j", "-d", "link", "show", "dev", ifname)
                .deadline(java.time.Duration.ofSeconds(20)).run();
        if (!result.succeeded()) {
            return Optional.empty();
        }
        JsonNode links = Json.parse(result.stdout());
        if (links.isEmpty()) {
            return Optional.empty();
        }
        return fromJson(links.get(0));
    }

    /** The VXLAN settings in one element of {@code ip -j -d link show}, if it is a VXLAN. */
    public static Optional<Vxlan> fromJson(JsonNode link) {
        JsonNode info = link.path("linkinfo");
        if (!"vxlan".equals(info.path("info_kind").asText())) {
            return Optional.empty();
        }
        JsonNode data = info.path("info_data");
        return Optional.of(new Vxlan(link.path("ifname").asText(), data.path("id").asInt(), data.path("remote").asText(""),
                data.path("local").asText(""), data.path("port").asInt(), data.path("learning").asBoolean(true)));
    }
}
