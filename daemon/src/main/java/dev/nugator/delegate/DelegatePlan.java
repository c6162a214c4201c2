package dev.nugator.delegate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.NetworkConfig;
import dev.nugator.cni.NetworkConfig.DelegateConfig;
import java.util.List;

/**
 * Turns a network config's {@code delegates} into the plugins to run, Multus v1 style: delegate i
 * makes {@code net<i>}, the master plugin makes the runtime's interface, and a delegate without
 * cniVersion or name inherits the network's.
 */
public final class DelegatePlan {
    private DelegatePlan() {}

    public static List<Delegate> of(NetworkConfig network, String runtimeIfname) {
        return network.delegates().stream().map(d -> delegate(network, d, runtimeIfname)).toList();
    }

    /** The interface name delegate {@code index} makes for an attachment whose runtime name is given. */
    public static String ifname(DelegateConfig delegate, String runtimeIfname) {
        return delegate.master() ? runtimeIfname : "net" + delegate.index();
    }

    private static Delegate delegate(NetworkConfig network, DelegateConfig d, String runtimeIfname) {
        ObjectNode config = d.raw().deepCopy();
        var version = d.version().orElse(network.version());
        config.put("cniVersion", version.text());
        if (!config.hasNonNull("name")) {
            config.put("name", network.name());
        }
        forwardCapabilities(network, d, config);
        return new Delegate(d.index(), d.type(), version, ifname(d, runtimeIfname), d.master(), config);
    }

    /** runtimeConfig entries go only to delegates that declare the capability, as libcni does. */
    private static void forwardCapabilities(NetworkConfig network, DelegateConfig d, ObjectNode config) {
        var runtime = network.runtimeConfig();
        if (runtime.isEmpty() || !(d.raw().get("capabilities") instanceof ObjectNode capabilities)) {
            return;
        }
        var forwarded = config.putObject("runtimeConfig");
        capabilities.properties().forEach(cap -> {
            if (cap.getValue().asBoolean(false) && runtime.get().has(cap.getKey())) {
                forwarded.set(cap.getKey(), runtime.get().get(cap.getKey()).deepCopy());
            }
        });
        if (forwarded.isEmpty()) {
            config.remove("runtimeConfig");
        }
    }
}
