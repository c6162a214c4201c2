package dev.nugator.testkit.cri;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nugator.testkit.Json;
import dev.nugator.testkit.Ping;
import dev.nugator.testkit.Proc;
import dev.nugator.testkit.ProcResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A sandbox's network namespace, known only by the path containerd bound it at (not a name under
 * /run/netns, so neither {@code ip -n} nor {@code ip netns exec} reach it): everything runs through
 * {@code nsenter --net=PATH}, in a child process, never by switching a thread of the test JVM.
 */
public record SandboxNetns(Path path) {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final int PING_TRIES = 3;

    /** One interface as {@code ip -j addr} shows it: name, ifindex, flags, IPv4 addresses with prefix, veth peer's ifindex. */
    public record Iface(String name, int index, Set<String> flags, List<String> ipv4, int peerIndex) {
        /** The kernel's "lower layer up": a veth whose peer is up, a cable with its other end plugged in. */
        public boolean hasCarrier() {
            return flags.contains("LOWER_UP");
        }
    }

    public boolean exists() {
        return Files.exists(path);
    }

    /** Runs {@code command} in the namespace; the caller inspects the result. */
    public ProcResult run(String... command) {
        var args = new ArrayList<>(List.of("nsenter", "--net=" + path, "--"));
        args.addAll(List.of(command));
        return Proc.of(args).deadline(DEADLINE).run();
    }

    public List<Iface> interfaces() {
        JsonNode json = Json.parse(run("ip", "-j", "addr", "show").requireSuccess().stdout());
        var all = new ArrayList<Iface>();
        json.forEach(node -> all.add(iface(node)));
        return all;
    }

    public Optional<Iface> iface(String name) {
        return interfaces().stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /** The interface, or an AssertionError listing what the namespace holds. */
    public Iface requireIface(String name) {
        var all = interfaces();
        return all.stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow(() ->
                new AssertionError("no " + name + " in sandbox netns " + path + "; it has " + all));
    }

    public List<String> names() {
        return interfaces().stream().map(Iface::name).toList();
    }

    /** Requires a ping (busybox, a few tries: the first may wait for ARP) to be answered. */
    public void assertPings(String address) {
        ProcResult last = null;
        for (int i = 0; i < PING_TRIES; i++) {
            last = run(Ping.BUSYBOX.toString(), "ping", "-c", "1", "-W", "2", address);
            if (last.succeeded()) {
                return;
            }
        }
        throw new AssertionError("ping from sandbox netns " + path + " to " + address + " does not cross\n"
                + last.describe() + "\n--- addresses there ---\n" + run("ip", "addr").stdout());
    }

    private static Iface iface(JsonNode node) {
        var flags = new TreeSet<String>();
        node.path("flags").forEach(f -> flags.add(f.asText()));
        var ipv4 = new ArrayList<String>();
        node.path("addr_info").forEach(a -> {
            if (a.path("family").asText().equals("inet")) {
                ipv4.add(a.path("local").asText() + "/" + a.path("prefixlen").asInt());
            }
        });
        return new Iface(node.path("ifname").asText(), node.path("ifindex").asInt(), Set.copyOf(flags), List.copyOf(ipv4),
                node.path("link_index").asInt(0));
    }
}
