package dev.nugator.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.CniCommand;
import dev.nugator.cni.CniEnvironment;
import dev.nugator.cni.CniError;
import dev.nugator.cni.CniVersion;
import dev.nugator.cni.Deadline;
import dev.nugator.cni.Json;
import dev.nugator.cni.NetworkConfig;
import dev.nugator.delegate.DelegatePlan;
import dev.nugator.delegate.DelegateRunner;
import dev.nugator.store.Attachment;
import dev.nugator.store.AttachmentKey;
import dev.nugator.store.AttachmentStore;
import dev.nugator.store.CorruptStateException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GC: every recorded attachment of this network that the runtime no longer lists is torn down,
 * then GC goes to every delegate that knows it, with the valid attachments renamed to that
 * delegate's interface. Errors are collected and reported together; nothing stops at the first.
 */
final class GcCommand {
    private static final Logger log = LoggerFactory.getLogger(GcCommand.class);
    static final List<String> VALID_KEYS = List.of("cni.dev/valid-attachments", "cni.dev/attachments");

    private record Valid(String containerId, String ifname) {}

    private final AttachmentStore store;
    private final DelegateRunner runner;
    private final Teardown teardown;
    private final AttachmentLocks locks;
    private final Optional<dev.nugator.link.LinkEngine> links;

    GcCommand(AttachmentStore store, DelegateRunner runner, Teardown teardown, AttachmentLocks locks,
              Optional<dev.nugator.link.LinkEngine> links) {
        this.links = links;
        this.store = store;
        this.runner = runner;
        this.teardown = teardown;
        this.locks = locks;
    }

    void run(CniEnvironment env, NetworkConfig config, Deadline deadline) {
        config.version().require(CniVersion.V1_1_0, "GC");
        var valid = validAttachments(config.raw());
        var errors = new ArrayList<CniError>();
        for (var key : store.list(config.name())) {
            if (!valid.contains(new Valid(key.containerId(), key.ifname()))) {
                errors.addAll(collectStale(key, env, config, deadline));
            }
        }
        for (var d : config.delegates()) {
            var delegate = DelegatePlan.of(config, "").get(d.index());
            if (!delegate.version().supportsGcAndStatus()) {
                continue;
            }
            var forwarded = Json.MAPPER.createArrayNode();
            valid.forEach(v -> forwarded.addObject().put("containerID", v.containerId()).put("ifname", DelegatePlan.ifname(d, v.ifname())));
            try {
                runner.gc(delegate, env, forwarded, deadline);
            } catch (RuntimeException e) {
                errors.add(ErrorMapper.toCniError(e));
            }
        }
        if (!errors.isEmpty()) {
            throw Teardown.combine(errors);
        }
    }

    private List<CniError> collectStale(AttachmentKey key, CniEnvironment env, NetworkConfig config, Deadline deadline) {
        try (var held = locks.lock(key)) {
            Optional<Attachment> stored;
            try {
                stored = store.load(key);
            } catch (CorruptStateException e) {
                stored = Optional.empty();
            }
            var delegates = stored.map(a -> a.delegates().stream().map(DelegateStates::delegate).toList())
                    .orElseGet(() -> DelegatePlan.of(config, key.ifname()));
            Map<Integer, ObjectNode> results = new HashMap<>();
            stored.ifPresent(a -> a.delegates().stream().filter(s -> s.result() != null).forEach(s -> results.put(s.index(), s.result())));
            var attachmentEnv = new CniEnvironment(CniCommand.DEL, key.containerId(), stored.map(Attachment::netns).orElse(""),
                    key.ifname(), stored.map(a -> dev.nugator.cni.CniArgs.parse(a.cniArgs())).orElse(env.args()), env.path());
            var engine = PodLinks.engineFor(links, config);
            var pod = PodLinks.pod(attachmentEnv.args());
            if (engine.isPresent() && pod.isPresent()) {
                engine.get().detach(pod.get(), key.containerId(), config.name(), PodLinks.uid(attachmentEnv.args()));
            }
            var errors = teardown.delegates(delegates, results, attachmentEnv, deadline);
            if (errors.isEmpty()) {
                store.delete(key);
                log.info("GC {}: stale attachment removed", key);
            }
            return errors;
        } catch (RuntimeException e) {
            return List.of(ErrorMapper.toCniError(e));
        }
    }

    private static Set<Valid> validAttachments(ObjectNode raw) {
        var valid = new HashSet<Valid>();
        for (String field : VALID_KEYS) {
            JsonNode list = raw.get(field);
            if (list == null || list.isNull()) {
                continue;
            }
            if (!(list instanceof ArrayNode array)) {
                throw CniError.invalidConfig(field, "must be an array of {containerID, ifname}");
            }
            for (int i = 0; i < array.size(); i++) {
                JsonNode entry = array.get(i);
                if (!entry.path("containerID").isTextual() || !entry.path("ifname").isTextual()) {
                    throw CniError.invalidConfig(field + "[" + i + "]", "must have string fields containerID and ifname");
                }
                valid.add(new Valid(entry.get("containerID").asText(), entry.get("ifname").asText()));
            }
        }
        return valid;
    }
}
