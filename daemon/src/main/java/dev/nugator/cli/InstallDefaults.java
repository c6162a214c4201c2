package dev.nugator.cli;

/** Values the install step shares with nugatord's defaults and the Kubernetes manifests. */
final class InstallDefaults {
    /** Where the shim finds nugatord unless a config says otherwise: nugatord's default --socket. */
    static final String SOCKET = "/run/nugator/nugator.sock";
    /** The Multus network's name, and the NetworkAttachmentDefinition's. */
    static final String NETWORK = "nugator";
    static final String CNI_VERSION = "1.0.0";

    private InstallDefaults() {}
}
