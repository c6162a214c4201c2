package dev.nugator.plugin;

import dev.nugator.cni.CniEnvironment;
import dev.nugator.cni.CniError;
import dev.nugator.cni.CniVersion;
import dev.nugator.cni.Deadline;
import dev.nugator.cni.NetworkConfig;
import dev.nugator.store.Attachment;
import dev.nugator.store.AttachmentKey;
import dev.nugator.store.AttachmentStore;
import dev.nugator.store.CorruptStateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CHECK: each delegate is asked to CHECK against its own cached result (delegates configured
 * for a version before 0.4.0 know no CHECK and are passed over); then each of the pod's links
 * must have its interface, with its addresses, in the pod.
 */
final class CheckCommand {
    private static final Logger log = LoggerFactory.getLogger(CheckCommand.class);
    private final AttachmentStore store;
    private final dev.nugator.delegate.DelegateRunner runner;
    private final AttachmentLocks locks;
    private final java.util.Optional<dev.nugator.link.LinkEngine> links;

    CheckCommand(AttachmentStore store, dev.nugator.delegate.DelegateRunner runner, AttachmentLocks locks,
                 java.util.Optional<dev.nugator.link.LinkEngine> links) {
        this.links = links;
        this.store = store;
        this.runner = runner;
        this.locks = locks;
    }

    void run(CniEnvironment env, NetworkConfig config, Deadline deadline) {
        config.version().require(CniVersion.V0_4_0, "CHECK");
        var key = new AttachmentKey(config.name(), env.containerId(), env.ifname());
        try (var held = locks.lock(key)) {
            var attachment = load(key);
            if (!attachment.netns().equals(env.netns())) {
                throw new CniError(CniError.CHECK_FAILED, "attachment " + key + " was added in netns " + attachment.netns()
                        + ", not in CNI_NETNS " + env.netns());
            }
            if (!attachment.complete()) {
                throw new CniError(CniError.CHECK_FAILED, "attachment " + key + " never finished its ADD");
            }
            for (var state : attachment.delegates()) {
                var delegate = DelegateStates.delegate(state);
                if (!delegate.version().supportsCheck()) {
                    log.debug("CHECK {}: {} is configured for {} and has no CHECK; passed over", key, delegate.label(), delegate.version());
                    continue;
                }
                runner.check(delegate, env, state.result(), deadline);
            }
            var engine = PodLinks.engineFor(links, config);
            var pod = PodLinks.pod(env.args());
            if (engine.isPresent() && pod.isPresent()) {
                var problems = engine.get().check(pod.get(), PodLinks.netns(env));
                if (!problems.isEmpty()) {
                    throw new CniError(CniError.CHECK_FAILED, String.join("; ", problems));
                }
            }
        }
    }

    private Attachment load(AttachmentKey key) {
        try {
            return store.load(key).orElseThrow(() -> new CniError(CniError.UNKNOWN_CONTAINER,
                    "no attachment " + key + " to check: container " + key.containerId() + " was not added to network "
                            + key.network() + " with interface " + key.ifname()));
        } catch (CorruptStateException e) {
            throw new CniError(CniError.CHECK_FAILED, e.getMessage());
        }
    }
}
