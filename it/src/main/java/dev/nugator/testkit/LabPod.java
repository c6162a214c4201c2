package dev.nugator.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A pod as the runtime and the links know it: {@code namespace/name} (sent in CNI_ARGS as
 * K8S_POD_NAMESPACE/K8S_POD_NAME) and its current sandbox, a namespace plus a container id. A
 * restart gives the same pod a new sandbox, as kubelet does; every sandbox is removed by the
 * {@link LinkLab} after the test.
 */
public final class LabPod {
    private final LinkLab lab;
    private final PodIdentity identity;
    private final String name;
    private final List<Pod> earlier = new ArrayList<>();
    private volatile Pod sandbox;

    LabPod(LinkLab lab, String namespace, String name) {
        this.lab = lab;
        this.identity = new PodIdentity(namespace, name);
        this.name = name;
        this.sandbox = lab.track(Pod.create());
    }

    public String name() {
        return name;
    }

    /** "namespace/name", as status prints it. */
    public String ref() {
        return identity.ref();
    }

    /** "namespace/name:ifname", a link end as status prints it. */
    public String end(String ifname) {
        return identity.end(ifname);
    }

    public Pod sandbox() {
        return sandbox;
    }

    /** Sandboxes this pod had before its restarts (they may still exist). */
    public List<Pod> earlierSandboxes() {
        return List.copyOf(earlier);
    }

    public Netns netns() {
        return sandbox.netns();
    }

    public String containerId() {
        return sandbox.containerId();
    }

    public String cniArgs() {
        return identity.cniArgs();
    }

    /** A call for the current sandbox with the lab's network config and CNI_IFNAME eth0. */
    public CniCall call(String command) {
        return call(command, lab.network());
    }

    public CniCall call(String command, ObjectNode config) {
        return CniCall.of(command).pod(sandbox).ifname("eth0").args(cniArgs()).config(config);
    }

    public CniResult add() {
        return call("ADD").run();
    }

    /** ADD that must succeed; its result. */
    public JsonNode attach() {
        var result = add();
        if (!result.succeeded()) {
            throw new AssertionError("ADD of " + ref() + " failed\n" + result.describe() + "\n--- nugatord log ---\n" + lab.logTail());
        }
        return result.json();
    }

    public CniResult del() {
        return call("DEL").run();
    }

    /** DEL that must succeed. */
    public void detach() {
        var result = del();
        if (!result.succeeded()) {
            throw new AssertionError("DEL of " + ref() + " failed\n" + result.describe() + "\n--- nugatord log ---\n" + lab.logTail());
        }
    }

    /** CHECK as a 0.4.0+ runtime sends it: the config with the ADD result as prevResult. */
    public CniResult check(JsonNode prevResult) {
        ObjectNode config = lab.network().deepCopy();
        config.set("prevResult", prevResult);
        return call("CHECK", config).run();
    }

    /** The pod is restarted: a new sandbox (namespace and container id); the old one stays until the test ends. */
    public LabPod restart() {
        earlier.add(sandbox);
        sandbox = lab.track(Pod.create());
        return this;
    }

    /** The pod dies without a DEL: its namespace is deleted under the daemon's feet. */
    public void die() {
        sandbox.close();
    }

    public Optional<Link> link(String ifname) {
        return netns().link(ifname);
    }

    public Link requireLink(String ifname) {
        return netns().requireLink(ifname);
    }

    /** The kernel reports the carrier up ({@code LOWER_UP}). */
    public static boolean carrier(Link link) {
        return link.flags().contains("LOWER_UP");
    }

    @Override
    public String toString() {
        return ref() + "@" + sandbox;
    }
}
