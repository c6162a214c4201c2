package dev.nugator.plugin;

import dev.nugator.cni.CniEnvironment;
import dev.nugator.cni.CniError;
import dev.nugator.cni.CniVersion;
import dev.nugator.cni.Deadline;
import dev.nugator.cni.NetworkConfig;
import dev.nugator.delegate.DelegatePlan;
import dev.nugator.delegate.DelegateRunner;
import dev.nugator.store.AttachmentStore;

/** STATUS: ready when the attachment records and the link store take writes and every delegate that knows STATUS says it is ready. */
final class StatusCommand {
    private final AttachmentStore store;
    private final DelegateRunner runner;
    private final java.util.Optional<dev.nugator.link.LinkEngine> links;

    StatusCommand(AttachmentStore store, DelegateRunner runner, java.util.Optional<dev.nugator.link.LinkEngine> links) {
        this.store = store;
        this.runner = runner;
        this.links = links;
    }

    void run(CniEnvironment env, NetworkConfig config, Deadline deadline) {
        config.version().require(CniVersion.V1_1_0, "STATUS");
        store.unavailableReason().or(() -> PodLinks.engineFor(links, config).flatMap(e -> e.unavailableReason()))
                .ifPresent(reason -> {
                    throw new CniError(CniError.NOT_AVAILABLE, "nugatord cannot serve ADD: " + reason);
                });
        for (var delegate : DelegatePlan.of(config, "")) {
            if (delegate.version().supportsGcAndStatus()) {
                try {
                    runner.status(delegate, env, deadline);
                } catch (CniError e) {
                    boolean saysNotReady = e.code() == CniError.NOT_AVAILABLE || e.code() == CniError.NOT_AVAILABLE_DEL_FAILS;
                    throw saysNotReady ? e : new CniError(CniError.NOT_AVAILABLE, e.getMessage(), e.details());
                }
            }
        }
    }
}
