package dev.nugator.testkit.cri;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.nugator.testkit.Json;
import dev.nugator.testkit.cri.v1.PodIP;
import dev.nugator.testkit.cri.v1.PodSandboxState;
import dev.nugator.testkit.cri.v1.PodSandboxStatusResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What {@code PodSandboxStatus} (verbose) says about one sandbox: its state, the pod IP that
 * containerd took from the CNI result's {@code eth0}, and from containerd's own verbose
 * {@code info}: the sandbox's network namespace (a path, not a name under /run/netns) and the CNI
 * result containerd recorded for it.
 *
 * @param id the sandbox id (containerd's container id, what CNI_CONTAINERID carries)
 * @param ready SANDBOX_READY
 * @param ip the pod's primary IP ({@code network.ip}), empty when there is none
 * @param additionalIps {@code network.additional_ips}
 * @param info containerd's verbose {@code info["info"]}, parsed (missing when it sent none)
 */
public record SandboxStatus(String id, boolean ready, String ip, List<String> additionalIps, JsonNode info) {

    static SandboxStatus from(PodSandboxStatusResponse response) {
        var status = response.getStatus();
        String infoText = response.getInfoOrDefault("info", "");
        JsonNode info = infoText.isEmpty() ? MissingNode.getInstance() : Json.parse(infoText);
        return new SandboxStatus(status.getId(), status.getState() == PodSandboxState.SANDBOX_READY,
                status.getNetwork().getIp(), status.getNetwork().getAdditionalIpsList().stream().map(PodIP::getIp).toList(),
                info);
    }

    /** The sandbox's network namespace, from the OCI spec containerd ran it with. */
    public Optional<Path> netnsPath() {
        for (JsonNode ns : info.path("runtimeSpec").path("linux").path("namespaces")) {
            if (ns.path("type").asText().equals("network") && !ns.path("path").asText().isEmpty()) {
                return Optional.of(Path.of(ns.path("path").asText()));
            }
        }
        return Optional.empty();
    }

    /** The network namespace, or an AssertionError showing what containerd said. */
    public SandboxNetns requireNetns() {
        return new SandboxNetns(netnsPath().orElseThrow(() ->
                new AssertionError("sandbox " + id + " has no network namespace in its status: " + info)));
    }

    /** Names of the interfaces in the CNI result containerd keeps for the sandbox. */
    public TreeSet<String> cniResultInterfaces() {
        var names = new TreeSet<String>();
        info.path("cniResult").path("Interfaces").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** IPs (without prefix) containerd recorded for one interface of the CNI result. */
    public List<String> cniResultIps(String ifname) {
        var ips = new java.util.ArrayList<String>();
        info.path("cniResult").path("Interfaces").path(ifname).path("IPConfigs")
                .forEach(c -> ips.add(c.path("IP").asText()));
        return ips;
    }

    @Override
    public String toString() {
        return "sandbox " + id + (ready ? " READY" : " NOTREADY") + " ip=" + ip + " netns=" + netnsPath().orElse(null)
                + " cni interfaces=" + cniResultInterfaces();
    }
}
