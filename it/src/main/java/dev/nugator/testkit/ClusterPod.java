package dev.nugator.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pod of a {@link ClusterLab}: {@code namespace/name} (sent in CNI_ARGS as
 * K8S_POD_NAMESPACE/K8S_POD_NAME), the node it is scheduled on, and its current sandbox (a
 * namespace plus a container id). Its CNI calls go to the nugatord of its node, as the runtime of
 * that node would make them. A pod can be restarted (new sandbox, same node) or moved to another
 * node (new sandbox there), as kubelet and the scheduler would do it.
 *
 * <p>The pod remembers which sandboxes are attached (ADD succeeded, no DEL since) and on which
 * node, so that the lab can DEL them after the test like a draining kubelet.
 */
public final class ClusterPod {
    /** What kubelet waits between two tries of a sandbox whose ADD failed (much shortened). */
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);

    private final ClusterLab lab;
    private final PodIdentity identity;
    private final String name;
    private final List<Pod> sandboxes = new ArrayList<>();
    private final Map<Pod, Integer> attached = new LinkedHashMap<>();
    private volatile int node;
    private volatile Pod sandbox;
    private volatile int retries;

    ClusterPod(ClusterLab lab, String namespace, String name, int node) {
        this.lab = lab;
        this.identity = new PodIdentity(namespace, name);
        this.name = name;
        this.node = node;
        newSandbox();
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

    /** The node (1-based) the pod's current sandbox is on. */
    public int node() {
        return node;
    }

    public Pod sandbox() {
        return sandbox;
    }

    public Netns netns() {
        return sandbox.netns();
    }

    public String containerId() {
        return sandbox.containerId();
    }

    /** How many times {@link #attachRetrying} had to try again. */
    public int retries() {
        return retries;
    }

    public String cniArgs() {
        return identity.cniArgs();
    }

    /** A call for the current sandbox with the lab's network config for its node and CNI_IFNAME eth0. */
    public CniCall call(String command) {
        return call(command, lab.network(node));
    }

    public CniCall call(String command, ObjectNode config) {
        return CniCall.of(command).pod(sandbox).ifname("eth0").args(cniArgs()).config(config);
    }

    /** ADD of the current sandbox on its node; the result, whatever it is. */
    public CniResult add() {
        Pod current = sandbox;
        int on = node;
        var result = CniCall.of("ADD").pod(current).ifname("eth0").args(cniArgs()).config(lab.network(on)).run();
        if (result.succeeded()) {
            synchronized (attached) {
                attached.put(current, on);
            }
        }
        return result;
    }

    /** ADD that must succeed; its result. */
    public JsonNode attach() {
        var result = add();
        if (!result.succeeded()) {
            throw new AssertionError("ADD of " + this + " failed\n" + result.describe() + "\n" + lab.logTails());
        }
        return result.json();
    }

    /** DEL of the current sandbox on its node. */
    public CniResult del() {
        return delSandbox(sandbox, node, Proc.DEFAULT_DEADLINE);
    }

    /** DEL that must succeed. */
    public void detach() {
        var result = del();
        if (!result.succeeded()) {
            throw new AssertionError("DEL of " + this + " failed\n" + result.describe() + "\n" + lab.logTails());
        }
    }

    /** CHECK as a 0.4.0+ runtime sends it: the config with the ADD result as prevResult. */
    public CniResult check(JsonNode prevResult) {
        ObjectNode config = lab.network(node);
        config.set("prevResult", prevResult);
        return call("CHECK", config).run();
    }

    /**
     * ADD as kubelet keeps trying it: when it fails with code 11 (try again later), the sandbox is
     * torn down (DEL, whatever it answers, then its namespace removed) and a new sandbox tries
     * again after a pause, until {@code deadline}. Any other error, or code 11 past the deadline,
     * fails with the last answer and the daemons' logs.
     */
    public JsonNode attachRetrying(Instant deadline) {
        while (true) {
            var result = add();
            if (result.succeeded()) {
                return result.json();
            }
            int code = result.jsonIfAny().map(j -> j.path("code").asInt(-1)).orElse(-1);
            if (code != 11 || Instant.now().isAfter(deadline)) {
                throw new AssertionError("ADD of " + this + " failed with code " + code + " after " + retries + " retries\n"
                        + result.describe() + "\n" + lab.logTails());
            }
            retries++;
            del();
            Pod failed = sandbox;
            newSandbox();
            failed.close();
            FileTrees.pause(RETRY_PAUSE.toMillis());
        }
    }

    /** The pod restarts on its node: a new sandbox (namespace and container id); the old one stays until the test ends. */
    public ClusterPod restart() {
        newSandbox();
        return this;
    }

    /**
     * The pod is scheduled on another node: a new sandbox whose calls go to that node's nugatord.
     * The old sandbox stays (DEL it first, as kubelet would, to move the pod cleanly).
     */
    public ClusterPod moveTo(int newNode) {
        lab.checkNode(newNode);
        node = newNode;
        newSandbox();
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

    /** The VXLAN settings of {@code ifname} in the current sandbox; empty if it is missing or not a VXLAN. */
    public Optional<Vxlan> vxlan(String ifname) {
        return Vxlan.in(netns(), ifname);
    }

    /**
     * Waits until {@code ifname} in the current sandbox is a VXLAN, up, whose remote is node
     * {@code peerNode}'s address; returns its settings.
     */
    public Vxlan awaitVxlanTo(String ifname, int peerNode) {
        String remote = lab.nodeIp(peerNode);
        return Await.until(end(ifname) + " as a VXLAN, up, with remote " + remote + "\n" + lab.logTails(),
                () -> describe(ifname), e -> e.vxlan().map(v -> v.remote().equals(remote)).orElse(false)
                        && e.link().map(Link::isUp).orElse(false)).vxlan().orElseThrow();
    }

    /** Waits until {@code ifname} in the current sandbox is a veth with carrier (its peer is in a pod); returns it. */
    public Link awaitVeth(String ifname) {
        return Await.until(end(ifname) + " as a veth with carrier\n" + lab.logTails(), () -> describe(ifname),
                e -> e.link().map(l -> "veth".equals(l.kind()) && LabPod.carrier(l)).orElse(false)).link().orElseThrow();
    }

    /** One interface as seen now, for waiting and for failure messages. */
    public record EndView(String where, Optional<Link> link, Optional<Vxlan> vxlan) {
        @Override
        public String toString() {
            return where + ": " + link.map(Object::toString).orElse("missing") + vxlan.map(v -> " " + v).orElse("");
        }
    }

    public EndView describe(String ifname) {
        var link = link(ifname);
        return new EndView(end(ifname) + " in " + netns(), link,
                link.filter(l -> "vxlan".equals(l.kind())).flatMap(l -> vxlan(ifname)));
    }

    /** Every sandbox this pod ever had (the lab removes them after the test). */
    public List<Pod> allSandboxes() {
        synchronized (sandboxes) {
            return List.copyOf(sandboxes);
        }
    }

    /** Sandboxes with a successful ADD and no successful DEL since, with the node they were attached on. */
    public Map<Pod, Integer> attachedSandboxes() {
        synchronized (attached) {
            return Map.copyOf(attached);
        }
    }

    /** DEL of one sandbox of this pod through one node's nugatord (the lab's drain uses it). */
    CniResult delSandbox(Pod which, int on, Duration deadline) {
        var result = CniCall.of("DEL").pod(which).ifname("eth0").args(cniArgs()).config(lab.network(on))
                .deadline(deadline).run();
        if (result.succeeded()) {
            synchronized (attached) {
                attached.remove(which);
            }
        }
        return result;
    }

    private void newSandbox() {
        Pod pod = Pod.create();
        synchronized (sandboxes) {
            sandboxes.add(pod);
        }
        sandbox = pod;
    }

    @Override
    public String toString() {
        return ref() + "@node" + node + "/" + sandbox;
    }
}
