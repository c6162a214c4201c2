package dev.nugator.testkit.cri;

/**
 * One pod sandbox made through the CRI: the pod it is for, its id, and the kubelet's calls on it.
 * Its network namespace is the one {@code PodSandboxStatus} names, read once while it runs.
 */
public final class CriSandbox {
    private final CriClient cri;
    private final PodSandboxSpec pod;
    private final String id;
    private SandboxNetns netns;

    CriSandbox(CriClient cri, PodSandboxSpec pod, String id) {
        this.cri = cri;
        this.pod = pod;
        this.id = id;
    }

    public PodSandboxSpec pod() {
        return pod;
    }

    /** containerd's id of the sandbox: the CNI_CONTAINERID nugator got. */
    public String id() {
        return id;
    }

    /** {@code PodSandboxStatus} now (verbose). */
    public SandboxStatus status() {
        return cri.podSandboxStatus(id);
    }

    /** The sandbox's network namespace, as its status named it the first time this was asked. */
    public synchronized SandboxNetns netns() {
        if (netns == null) {
            netns = status().requireNetns();
        }
        return netns;
    }

    /** {@code StopPodSandbox}: CNI DEL runs, the namespace goes. */
    public void stop() {
        cri.stopPodSandbox(id);
    }

    /** {@code RemovePodSandbox}. */
    public void remove() {
        cri.removePodSandbox(id);
    }

    @Override
    public String toString() {
        return pod + " sandbox " + id;
    }
}
