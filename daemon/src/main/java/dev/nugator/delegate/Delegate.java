package dev.nugator.delegate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.CniVersion;

/**
 * One plugin nugator runs for an attachment: its config exactly as the plugin gets it on stdin
 * (cniVersion and name filled in, runtimeConfig reduced to its capabilities) and the interface
 * name it is asked to make.
 */
public record Delegate(int index, String type, CniVersion version, String ifname, boolean master, ObjectNode config) {

    /** How messages and logs name this delegate: {@code delegate net1 (bridge)}. */
    public String label() {
        return "delegate " + ifname + " (" + type + ")";
    }
}
