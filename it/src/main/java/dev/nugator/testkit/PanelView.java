package dev.nugator.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One look into a node's patch panel ({@code ip -n PANEL -j -d addr show}), as a user reads it:
 * its devices but lo (the ports, veth peers of the pods' link interfaces, and the tunnels) and the
 * settings of each tunnel. A panel that does not exist (yet, or any more) reads as empty.
 *
 * @param panel the namespace read
 * @param devices every device in it but lo
 * @param tunnels the VXLAN settings of each tunnel, by name
 */
public record PanelView(Netns panel, List<Link> devices, Map<String, Vxlan> tunnels) {
    private static final Duration IP_DEADLINE = Duration.ofSeconds(20);

    public PanelView {
        devices = List.copyOf(devices);
        tunnels = Map.copyOf(tunnels);
    }

    public static PanelView read(Netns panel) {
        if (!panel.exists()) {
            return new PanelView(panel, List.of(), Map.of());
        }
        var result = Proc.of("ip", "-n", panel.name(), "-j", "-d", "addr", "show").deadline(IP_DEADLINE).run();
        if (!result.succeeded()) {
            if (!panel.exists()) {
                return new PanelView(panel, List.of(), Map.of());   // removed while we looked
            }
            throw new AssertionError("cannot read the panel " + panel + "\n" + result.describe());
        }
        var devices = new ArrayList<Link>();
        var tunnels = new LinkedHashMap<String, Vxlan>();
        for (JsonNode device : Json.parse(result.stdout())) {
            Link link = Link.fromJson(device);
            if (!link.name().equals("lo")) {
                devices.add(link);
                Vxlan.fromJson(device).ifPresent(v -> tunnels.put(link.name(), v));
            }
        }
        return new PanelView(panel, devices, tunnels);
    }

    public List<String> names() {
        return devices.stream().map(Link::name).toList();
    }

    public Optional<Link> device(String name) {
        return devices.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /**
     * The port of a pod's link interface: the device whose index is the interface's veth peer
     * index and whose own peer index is the interface's (so that an index alone cannot mislead).
     */
    public Optional<Link> portOf(Link podSide) {
        return devices.stream().filter(d -> d.index() == podSide.peerIndex() && d.peerIndex() == podSide.index()).findFirst();
    }

    /** The tunnel of the link that {@code port} belongs to: the port's link prefix (its name up to the last '-') + "-v". */
    public Optional<Link> tunnelOf(Link port) {
        int dash = port.name().lastIndexOf('-');
        return dash < 0 ? Optional.empty() : device(port.name().substring(0, dash) + "-v");
    }

    public Optional<Vxlan> vxlan(String name) {
        return Optional.ofNullable(tunnels.get(name));
    }

    @Override
    public String toString() {
        var text = new StringBuilder(panel.name()).append(':');
        for (Link d : devices) {
            text.append(' ').append(d.name()).append("(#").append(d.index()).append(' ').append(d.kind())
                    .append(d.isUp() ? " up" : " down").append(vxlan(d.name()).map(v -> " " + v).orElse("")).append(')');
        }
        return text.toString();
    }
}
