package dev.nugator.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.Json;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The seed's announcer: one link between the announcing pod and its pair, from the announcer
 * job's environment (POD_NAME, LOCAL_IP, ...) or the same as flags.
 */
@Command(name = "announce", mixinStandardHelpOptions = true,
        description = {"Record one link: POD_NAME gets LOCAL_IFNAME with LOCAL_IP, PAIR_NAME gets PAIR_IFNAME with PAIR_IP.",
            "Each value comes from its flag or else from the environment variable of the same name (as the seed's announcer job sets them).",
            "An address without a prefix gets /24 (IPv4) or /64 (IPv6)."})
final class AnnounceCommand extends CliCommand {
    @Mixin DaemonOptions daemon;

    @Option(names = "--pod-name", defaultValue = "${env:POD_NAME}", description = "The announcing pod [POD_NAME], as NAME or NAMESPACE/NAME.")
    String podName;
    @Option(names = "--local-ifname", defaultValue = "${env:LOCAL_IFNAME}", description = "Its interface [LOCAL_IFNAME].")
    String localIfname;
    @Option(names = "--local-ip", defaultValue = "${env:LOCAL_IP}", description = "Its address [LOCAL_IP].")
    String localIp;
    @Option(names = "--pair-name", defaultValue = "${env:PAIR_NAME}", description = "The pod at the other end [PAIR_NAME].")
    String pairName;
    @Option(names = "--pair-ifname", defaultValue = "${env:PAIR_IFNAME}", description = "Its interface [PAIR_IFNAME].")
    String pairIfname;
    @Option(names = "--pair-ip", defaultValue = "${env:PAIR_IP}", description = "Its address [PAIR_IP].")
    String pairIp;
    @Option(names = "--primary", defaultValue = "${env:PRIMARY:-false}", arity = "0..1", fallbackValue = "true",
            description = "The announcing side owns the link [PRIMARY].")
    boolean primary;
    @Option(names = "--target-container", defaultValue = "${env:TARGET_CONTAINER}", description = "Kept with the link [TARGET_CONTAINER].")
    String targetContainer;
    @Option(names = "--public-ip", defaultValue = "${env:PUBLIC_IP}", description = "Kept with the link [PUBLIC_IP].")
    String publicIp;
    @Option(names = "--namespace", defaultValue = "${env:POD_NAMESPACE:-default}", description = "Namespace of pods named without one [POD_NAMESPACE]. Default: ${DEFAULT-VALUE}")
    String namespace;

    /** Daemon field paths, as the user knows them. */
    private static final Map<String, String> FIELDS = Map.of(
            "link.a.pod", "POD_NAME (--pod-name)", "link.a.ifname", "LOCAL_IFNAME (--local-ifname)",
            "link.a.addresses", "LOCAL_IP (--local-ip)", "link.b.pod", "PAIR_NAME (--pair-name)",
            "link.b.ifname", "PAIR_IFNAME (--pair-ifname)", "link.b.addresses", "PAIR_IP (--pair-ip)",
            "link.a", "POD_NAME/LOCAL_IFNAME", "link.b", "PAIR_NAME/PAIR_IFNAME", "link", "the link");

    @Override
    void run() {
        var request = Json.MAPPER.createObjectNode().put("op", "announce").put("namespace", namespace);
        var link = request.putObject("link");
        link.set("a", end(podName, localIfname, localIp));
        link.set("b", end(pairName, pairIfname, pairIp));
        if (primary) {
            link.put("owner", "a");
        }
        var labels = link.putObject("labels");
        putIfSet(labels, "targetContainer", targetContainer);
        putIfSet(labels, "publicIp", publicIp);
        var reply = tryCall(request);
        var stored = reply.path("link");
        System.out.println("announced " + stored.at("/a/pod").asText() + ":" + stored.at("/a/ifname").asText() + " "
                + stored.at("/a/addresses").toString() + " <-> " + stored.at("/b/pod").asText() + ":"
                + stored.at("/b/ifname").asText() + " " + stored.at("/b/addresses").toString() + " (link " + stored.path("id").asText() + ")");
    }

    private com.fasterxml.jackson.databind.JsonNode tryCall(ObjectNode request) {
        try {
            return daemon.call(request);
        } catch (CliFailure failure) {
            throw failure.reword(AnnounceCommand::userField);
        }
    }

    /** {@code link.a.addresses[0]: ...} becomes {@code LOCAL_IP (--local-ip): ...}. */
    static String userField(String problem) {
        int colon = problem.indexOf(':');
        if (colon < 0) {
            return problem;
        }
        String field = problem.substring(0, colon).replaceAll("\\[\\d+]$", "");
        return FIELDS.containsKey(field) ? FIELDS.get(field) + problem.substring(colon) : problem;
    }

    private static ObjectNode end(String pod, String ifname, String ip) {
        var end = Json.MAPPER.createObjectNode();
        putIfSet(end, "pod", pod);
        putIfSet(end, "ifname", ifname);
        if (ip != null && !ip.isBlank()) {
            end.putArray("addresses").add(ip);
        }
        return end;
    }

    private static void putIfSet(ObjectNode node, String key, String value) {
        if (value != null && !value.isBlank()) {
            node.put(key, value);
        }
    }
}
