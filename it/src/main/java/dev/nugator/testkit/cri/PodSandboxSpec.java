package dev.nugator.testkit.cri;

import dev.nugator.testkit.cri.v1.LinuxPodSandboxConfig;
import dev.nugator.testkit.cri.v1.LinuxSandboxSecurityContext;
import dev.nugator.testkit.cri.v1.NamespaceMode;
import dev.nugator.testkit.cri.v1.NamespaceOption;
import dev.nugator.testkit.cri.v1.PodSandboxConfig;
import dev.nugator.testkit.cri.v1.PodSandboxMetadata;
import dev.nugator.testkit.cri.v1.SecurityProfile;
import java.util.UUID;

/**
 * One pod's sandbox as the kubelet asks for it: the pod's namespace, name and uid, the attempt
 * number (the kubelet counts up when it makes a pod's sandbox again), the pod's cgroup and the
 * runtime handler (its RuntimeClass; empty for the default one).
 *
 * @param namespace the pod's Kubernetes namespace
 * @param name the pod's name
 * @param uid the pod object's uid: a pod deleted and created again under the same name gets a new one
 * @param attempt 0 for the first sandbox of this pod object
 * @param cgroupParent the pod's cgroup, cgroupfs syntax (the kubelet's {@code /kubepods/besteffort/pod<uid>})
 * @param runtimeHandler a runtime handler of containerd's config, or empty for the default one
 */
public record PodSandboxSpec(String namespace, String name, String uid, int attempt, String cgroupParent,
                             String runtimeHandler) {

    /** The first sandbox of a new pod object (fresh uid) under {@code cgroupRoot}, default handler. */
    public static PodSandboxSpec of(String namespace, String name, String cgroupRoot) {
        String uid = UUID.randomUUID().toString();
        return new PodSandboxSpec(namespace, name, uid, 0, podCgroup(cgroupRoot, uid), "");
    }

    /** The same pod deleted and created again: same namespace and name, a new uid, attempt 0. */
    public PodSandboxSpec recreated(String cgroupRoot) {
        return of(namespace, name, cgroupRoot).withRuntimeHandler(runtimeHandler);
    }

    /** The kubelet's next try for the same pod object: same uid, attempt + 1. */
    public PodSandboxSpec nextAttempt() {
        return new PodSandboxSpec(namespace, name, uid, attempt + 1, cgroupParent, runtimeHandler);
    }

    public PodSandboxSpec withRuntimeHandler(String handler) {
        return new PodSandboxSpec(namespace, name, uid, attempt, cgroupParent, handler);
    }

    /** {@code namespace/name}, how nugator names the pod. */
    public String podKey() {
        return namespace + "/" + name;
    }

    /**
     * What the kubelet sends for a pod without host networking (its
     * {@code generatePodSandboxConfig}): metadata, hostname, the pod labels, the pod's cgroup, and a
     * security context with the pod's own network and IPC namespaces, PID per container and no
     * seccomp profile (the kubelet's default without {@code --seccomp-default}).
     */
    PodSandboxConfig toConfig() {
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder()
                        .setNamespace(namespace).setName(name).setUid(uid).setAttempt(attempt))
                .setHostname(name)
                .putLabels("io.kubernetes.pod.namespace", namespace)
                .putLabels("io.kubernetes.pod.name", name)
                .putLabels("io.kubernetes.pod.uid", uid)
                .putAnnotations("kubernetes.io/config.source", "api")
                .setLinux(LinuxPodSandboxConfig.newBuilder()
                        .setCgroupParent(cgroupParent)
                        .setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                                .setNamespaceOptions(NamespaceOption.newBuilder()
                                        .setNetwork(NamespaceMode.POD).setPid(NamespaceMode.CONTAINER)
                                        .setIpc(NamespaceMode.POD))
                                .setSeccomp(SecurityProfile.newBuilder()
                                        .setProfileType(SecurityProfile.ProfileType.Unconfined))))
                .build();
    }

    private static String podCgroup(String cgroupRoot, String uid) {
        return "/" + cgroupRoot + "/besteffort/pod" + uid;
    }

    @Override
    public String toString() {
        return podKey() + " (uid " + uid + ", attempt " + attempt + ")";
    }
}
