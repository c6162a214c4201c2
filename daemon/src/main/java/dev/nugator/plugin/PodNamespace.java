package dev.nugator.plugin;

import dev.nugator.cni.CniEnvironment;
import dev.nugator.cni.CniError;
import dev.nugator.link.LinkEngine;
import dev.nugator.netlink.NetNamespace;
import dev.nugator.netlink.NetlinkException;
import dev.nugator.netlink.NetnsPath;
import java.nio.file.Path;
import java.util.Optional;

/**
 * CNI_NETNS at ADD, checked before anything is done: it must be a network namespace that exists
 * now, and neither nugatord's own (the host's, on a real node) nor its patch panel. What a runtime
 * hands over is opened without blocking (see {@link NetNamespace#open}); a path that is not there,
 * is something else, or is one of those two namespaces is a CNI error naming CNI_NETNS.
 */
final class PodNamespace {
    private static final Path OWN = Path.of("/proc/self/ns/net");

    /** How ADD checks CNI_NETNS; a seam for unit tests of the CNI side, which have no namespaces to give. */
    @FunctionalInterface
    interface Check {
        NetnsPath require(CniEnvironment env);
    }

    private PodNamespace() {}

    /** The real check, against nugatord's own namespace and the panel of {@code links} (when there is one). */
    static Check checking(Optional<LinkEngine> links) {
        return env -> require(env, links);
    }

    static NetnsPath require(CniEnvironment env, Optional<LinkEngine> links) {
        NetnsPath path;
        try {
            path = NetnsPath.parse("CNI_NETNS", env.netns());
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        try (var pod = path.open(); var own = NetNamespace.open(OWN)) {
            if (pod.sameAs(own)) {
                throw invalid("CNI_NETNS '" + path + "' is nugatord's own network namespace (the node's): a pod needs a namespace of its own");
            }
            if (links.isPresent() && links.get().isPanel(pod)) {
                throw invalid("CNI_NETNS '" + path + "' is nugator's patch panel, not a pod's namespace");
            }
            return path;
        } catch (NetlinkException e) {
            throw invalid("CNI_NETNS '" + path + "' cannot be opened: " + e.errnoName() + " (" + describe(e) + ")");
        } catch (IllegalArgumentException e) {
            throw invalid("CNI_NETNS: " + e.getMessage());
        }
    }

    private static String describe(NetlinkException e) {
        return switch (e.errnoName()) {
            case "ENOENT" -> "no such network namespace: the pod's sandbox is gone or was never made";
            case "EACCES", "EPERM" -> "permission denied";
            default -> e.getMessage();
        };
    }

    private static CniError invalid(String message) {
        return new CniError(CniError.INVALID_ENVIRONMENT, message);
    }
}
