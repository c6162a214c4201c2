package dev.nugator.testkit.cri;

import dev.nugator.testkit.FileTrees;
import dev.nugator.testkit.Link;
import dev.nugator.testkit.NodeNamespace;
import dev.nugator.testkit.Nugatorctl;
import dev.nugator.testkit.Nugatord;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Kubernetes node reduced to what the kubelet's path needs, for a test class: a node namespace,
 * one containerd ({@link Containerd}) per class whose CNI config is the pod network with nugator
 * chained after it ({@link CriNetwork#chained}), and a fresh nugatord per test (its own store and
 * panel, so one test's links never reach the next). The conflist points nugator at a symlink that
 * is re-pointed at each test's daemon, so containerd's config never changes while it runs.
 * A second runtime handler, {@value #PRIMARY_ONLY}, runs the pod network alone.
 *
 * <p>After each test every sandbox containerd knows is stopped and removed through the CRI (as the
 * kubelet would, with nugatord running), then nugatord is closed; a sandbox that cannot be removed
 * fails the test. After the class containerd, the node and the lab's directory go, and
 * {@link Containerd#close()} fails the class when anything of it is left.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final CriLab lab = CriLab.create();
 *
 * @Test
 * void podGetsItsLinks() {
 *     lab.ctl().run(env, "announce").requireSuccess();
 *     CriSandbox pod = lab.run(lab.pod("default", "sample-announce"));
 *     pod.netns().requireIface("in1");
 * }
 * }</pre>
 */
public final class CriLab implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    /** The runtime handler whose pods get the pod network only, without nugator. */
    public static final String PRIMARY_ONLY = "primary";
    /** The cluster's pod CIDR (the node's pod range): 10.x stays inside the node namespace. */
    public static final String POD_CIDR = "10.244.0.0/16";
    public static final String NETWORK = "k8s-pod-network";

    private Path work;
    private NodeNamespace node;
    private Containerd containerd;
    private Nugatord daemon;

    private CriLab() {}

    public static CriLab create() {
        return new CriLab();
    }

    /**
     * Skips the class where containerd is not installed (as the podman tests do; {@code make test}
     * installs it). A failure here leaves no trace: JUnit calls {@link #afterAll} all the same.
     */
    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Assumptions.assumeTrue(Containerd.available(), "needs containerd, ctr, runc and busybox (make deps installs them)");
        work = Files.createTempDirectory("ntcrilab-");
        node = NodeNamespace.create();
        Path leases = Files.createDirectories(work.resolve("leases"));
        containerd = Containerd.in(node.netns().path())
                .network(CriNetwork.chained(NETWORK, POD_CIDR, leases, socketLink()))
                .handler(PRIMARY_ONLY, CriNetwork.primaryOnly(NETWORK, POD_CIDR, leases))
                .start();
        System.err.println("CriLab: " + containerd + ": " + containerd.startup());
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        daemon = Nugatord.in(node).logLevel("debug").start();
        Files.deleteIfExists(socketLink());
        Files.createSymbolicLink(socketLink(), daemon.socket());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (daemon != null && !daemon.isAlive()) {
                daemon.restart();   // a test that stopped it: the sandboxes' DEL needs it
            }
            List<String> failures = containerd.removeAllSandboxes();
            if (!failures.isEmpty()) {
                throw new AssertionError("sandboxes the CRI could not remove after the test: " + failures
                        + "\n--- containerd ---\n" + containerd.tail() + "\n--- nugatord ---\n" + Nugatord.tail(daemon.log()));
            }
        } finally {
            if (daemon != null) {
                daemon.close();
                daemon = null;
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (containerd != null) {
                containerd.close();
            }
        } finally {
            try {
                if (node != null) {
                    node.close();
                }
            } finally {
                if (work != null) {
                    FileTrees.delete(work);
                }
            }
        }
    }

    /** Where the conflist's nugator looks for nugatord: a symlink to this test's daemon socket. */
    public Path socketLink() {
        return work.resolve("nugatord.sock");
    }

    public CriClient cri() {
        return containerd.cri();
    }

    public Containerd containerd() {
        return containerd;
    }

    public NodeNamespace node() {
        return node;
    }

    public Nugatord daemon() {
        return daemon;
    }

    public Nugatorctl ctl() {
        return Nugatorctl.of(daemon);
    }

    /** host-local's leases of the pod network (one file per address in use). */
    public Path leases() {
        return work.resolve("leases");
    }

    /** A new pod object (fresh uid, attempt 0). */
    public PodSandboxSpec pod(String namespace, String name) {
        return containerd.pod(namespace, name);
    }

    /** {@code RunPodSandbox}, failing the test with containerd's and nugatord's logs when it is refused. */
    public CriSandbox run(PodSandboxSpec pod) {
        try {
            return new CriSandbox(cri(), pod, cri().runPodSandbox(pod));
        } catch (StatusRuntimeException e) {
            throw new AssertionError("RunPodSandbox " + pod + " failed: " + e.getStatus() + "\n" + diagnostics(), e);
        }
    }

    /** The sandbox of a call expected to fail: the CRI's error. */
    public StatusRuntimeException runRefused(PodSandboxSpec pod) {
        try {
            String id = cri().runPodSandbox(pod);
            throw new AssertionError("RunPodSandbox " + pod + " succeeded (sandbox " + id + ") but should have failed");
        } catch (StatusRuntimeException e) {
            return e;
        }
    }

    /** What nugatord holds in its panel now (all but lo). */
    public List<Link> panelPorts() {
        return daemon.panel().links().stream().filter(l -> !l.name().equals("lo")).toList();
    }

    /** The tails of containerd's and nugatord's logs, for assertion messages. */
    public String diagnostics() {
        return "--- containerd log (tail) ---\n" + containerd.tail()
                + "\n--- nugatord log (tail) ---\n" + (daemon == null ? "" : Nugatord.tail(daemon.log()));
    }
}
