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
import java.util.function.Predicate;

/**
 * A pod of a {@link ClusterLab}: {@code namespace/name} (sent in CNI_ARGS as
 * K8S_POD_NAMESPACE/K8S_POD_NAME), the node it is scheduled on, and its current sandbox (a
 * namespace plus a container id). Its CNI calls go to the nugatord of its node, as the runtime of
 * that node would make them. A pod can be restarted (new sandbox, same node) or moved to another
 * node (new sandbox there), as kubelet and the scheduler would do it.
 *
 * <p>The pod remembers which sandboxes are attached (ADD succeeded, no DEL since) and on which
 * node, so that the lab can DEL them after the test like a draining kubelet.
 *
 * <p>A link end is read the way README's "The patch panel" tells a user to look: the pod's
 * interface (a veth, whatever its peer's node), its veth peer (the port) in the panel of the
 * pod's node, and the link's tunnel beside that port when the peer runs on another node
 * ({@link #describe}, {@link ClusterEnd}).
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

    /**
     * The settings of the tunnel that carries {@code ifname}'s link out of this pod's node: the
     * link's VXLAN device in the node's panel; empty when the interface, its port or the tunnel is
     * missing (the peer runs on this node, or nowhere).
     */
    public Optional<Vxlan> vxlan(String ifname) {
        return describe(ifname).vxlan();
    }

    /**
     * Waits until {@code ifname} in the current sandbox has carrier and its link leaves this pod's
     * node through a tunnel in the node's panel, up, whose remote is node {@code peerNode}'s
     * address; returns the tunnel's settings. The pod's interface is a veth whatever the peer's node.
     */
    public Vxlan awaitVxlanTo(String ifname, int peerNode) {
        String remote = lab.nodeIp(peerNode);
        return awaitEnd(ifname, "with carrier, through a tunnel in node " + node + "'s panel, up, with remote " + remote,
                Await.DEFAULT, e -> e.crossesTo(remote)).vxlan().orElseThrow();
    }

    /**
     * Waits until {@code ifname} in the current sandbox has carrier through its port and the panel
     * holds no tunnel for its link (its peer runs on this node); returns the pod's interface.
     */
    public Link awaitVeth(String ifname) {
        return awaitEnd(ifname, "with carrier, wired within node " + node + "'s panel (no tunnel)", Await.DEFAULT,
                ClusterEnd::staysOnNode).link().orElseThrow();
    }

    /** Waits until {@code ifname} in the current sandbox is there without carrier (its peer is away); returns it. */
    public Link awaitNoCarrier(String ifname) {
        return awaitEnd(ifname, "present without carrier", Await.DEFAULT, ClusterEnd::noCarrier).link().orElseThrow();
    }

    /**
     * Waits until {@code done} holds for {@code ifname}'s end; the failure shows the end as last
     * seen and the daemons' logs as they are then.
     */
    public ClusterEnd awaitEnd(String ifname, String what, Duration timeout, Predicate<ClusterEnd> done) {
        try {
            return Await.until(end(ifname) + " " + what, timeout, () -> describe(ifname), done);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + lab.logTails(), e);
        }
    }

    /** {@code ifname} of the current sandbox as seen now: the interface, its port and tunnel in this node's panel. */
    public ClusterEnd describe(String ifname) {
        int on = node;
        return ClusterEnd.read(end(ifname) + " in " + netns() + " on node " + on, netns(), ifname, lab.daemon(on).panel());
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
