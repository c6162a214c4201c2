package dev.nugator.store;

/** What identifies an attachment in CNI: the network, the container and the runtime's interface name. */
public record AttachmentKey(String network, String containerId, String ifname) {
    @Override
    public String toString() {
        return network + "/" + containerId + "/" + ifname;
    }
}
