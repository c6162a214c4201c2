package dev.nugator.plugin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.CniEnvironment;
import dev.nugator.cni.CniError;
import dev.nugator.cni.Deadline;
import dev.nugator.cni.NetworkConfig;
import dev.nugator.delegate.Delegate;
import dev.nugator.delegate.DelegatePlan;
import dev.nugator.link.LinkEngine;
import dev.nugator.store.Attachment;
import dev.nugator.store.AttachmentKey;
import dev.nugator.store.AttachmentStore;
import dev.nugator.store.CorruptStateException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEL, best effort: the pod's link ends go and their peers' ports go down (see LinkEngine), then the
 * delegates are DEL'd in reverse order from the stored record, or from the
 * config on stdin when the record is missing or unreadable, so addresses are released in every
 * case. An error comes back only when a delegate's DEL failed, which a retry can fix; the record
 * is then kept for that retry. Without a record there is no sign the delegates ever ran (a failed
 * ADD was already undone), so a plugin missing from CNI_PATH does not fail that DEL.
 */
final class DelCommand {
    private static final Logger log = LoggerFactory.getLogger(DelCommand.class);
    private final AttachmentStore store;
    private final Teardown teardown;
    private final AttachmentLocks locks;
    private final Optional<LinkEngine> links;

    DelCommand(AttachmentStore store, Teardown teardown, AttachmentLocks locks, Optional<LinkEngine> links) {
        this.links = links;
        this.store = store;
        this.teardown = teardown;
        this.locks = locks;
    }

    void run(CniEnvironment env, NetworkConfig config, Deadline deadline) {
        var key = new AttachmentKey(config.name(), env.containerId(), env.ifname());
        var engine = PodLinks.engineFor(links, config);
        var pod = PodLinks.pod(env.args());
        try (var held = locks.lock(key)) {
            if (engine.isPresent() && pod.isPresent()) {
                engine.get().detach(pod.get(), env.containerId(), config.name(), PodLinks.uid(env.args()));
            }
            var stored = loadQuietly(key);
            List<Delegate> delegates = stored.map(a -> a.delegates().stream().map(DelegateStates::delegate).toList())
                    .orElseGet(() -> DelegatePlan.of(config, env.ifname()));
            Map<Integer, ObjectNode> results = new HashMap<>();
            stored.ifPresent(a -> a.delegates().stream().filter(d -> d.result() != null)
                    .forEach(d -> results.put(d.index(), d.result())));
            var errors = teardown.delegates(delegates, results, env, deadline).stream()
                    .filter(Teardown::retryCanHelp)
                    .filter(e -> stored.isPresent() || e.code() != CniError.DELEGATE_NOT_FOUND)
                    .toList();
            if (!errors.isEmpty()) {
                throw Teardown.combine(errors);
            }
            store.delete(key);
            log.info("DEL {}: {} delegate(s) removed{}", key, delegates.size(), stored.isEmpty() ? " (no record; used the config)" : "");
        }
    }

    private Optional<Attachment> loadQuietly(AttachmentKey key) {
        try {
            return store.load(key);
        } catch (CorruptStateException e) {
            log.warn("DEL {}: {}; using the delegates of the config on stdin", key, e.getMessage());
            return Optional.empty();
        }
    }
}
