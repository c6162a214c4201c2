package dev.nugator.testkit;

/**
 * Who a test pod is to the runtime and the links: {@code namespace/name}, sent in CNI_ARGS as
 * K8S_POD_NAMESPACE and K8S_POD_NAME, and printed so by status.
 */
public record PodIdentity(String namespace, String name) {

    /** "namespace/name", as status prints it. */
    public String ref() {
        return namespace + "/" + name;
    }

    /** "namespace/name:ifname", a link end as status prints it. */
    public String end(String ifname) {
        return ref() + ":" + ifname;
    }

    /** CNI_ARGS naming this pod, as kubelet sends them. */
    public String cniArgs() {
        return "IgnoreUnknown=1;K8S_POD_NAMESPACE=" + namespace + ";K8S_POD_NAME=" + name;
    }
}
