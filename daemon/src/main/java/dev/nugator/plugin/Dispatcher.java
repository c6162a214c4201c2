package dev.nugator.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nugator.cni.CniCommand;
import dev.nugator.cni.CniEnvironment;
import dev.nugator.cni.CniError;
import dev.nugator.cni.CniReply;
import dev.nugator.cni.CniVersion;
import dev.nugator.cni.Deadline;
import dev.nugator.cni.Json;
import dev.nugator.cni.NetworkConfig;
import dev.nugator.delegate.DelegateRunner;
import dev.nugator.delegate.PluginExecutor;
import dev.nugator.link.LinkEngine;
import dev.nugator.store.AttachmentStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nugator plugin as a function: environment and stdin in, exit code and stdout out. It is
 * what the socket server calls, and what tests call in-process. Every failure leaves here as a
 * CNI error through {@link ErrorMapper}; nothing else turns exceptions into replies.
 */
public final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private final Duration commandTimeout;
    private final AddCommand add;
    private final DelCommand del;
    private final CheckCommand check;
    private final GcCommand gc;
    private final StatusCommand status;

    /** A dispatcher without links: only delegation (as in unit tests of the CNI side). */
    public Dispatcher(AttachmentStore store, PluginExecutor executor, Duration commandTimeout, Duration cleanupTimeout) {
        this(store, executor, commandTimeout, cleanupTimeout, Optional.empty());
    }

    public Dispatcher(AttachmentStore store, PluginExecutor executor, Duration commandTimeout, Duration cleanupTimeout,
                      Optional<LinkEngine> links) {
        this.commandTimeout = commandTimeout;
        var runner = new DelegateRunner(executor);
        var teardown = new Teardown(runner);
        var locks = new AttachmentLocks();
        this.add = new AddCommand(store, runner, teardown, locks, cleanupTimeout, links);
        this.del = new DelCommand(store, teardown, locks, links);
        this.check = new CheckCommand(store, runner, locks, links);
        this.gc = new GcCommand(store, runner, teardown, locks, links);
        this.status = new StatusCommand(store, runner, links);
    }

    public CniReply handle(Map<String, String> environment, byte[] stdin) {
        try {
            var env = CniEnvironment.parse(environment);
            if (env.command() == CniCommand.VERSION) {
                return CniReply.success(version());
            }
            var config = NetworkConfig.parse(stdin);
            if (log.isDebugEnabled()) {
                log.debug("{} container={} netns={} ifname={} args={} parsed config:\n{}", env.command(), env.containerId(),
                        env.netns(), env.ifname(), env.args().raw(), Json.pretty(config.raw()));
            }
            return execute(env, config, Deadline.in(commandTimeout));
        } catch (RuntimeException e) {
            var error = ErrorMapper.toCniError(e);
            log.info("{} failed with code {}: {}", environment.get("CNI_COMMAND"), error.code(), error.getMessage());
            return CniReply.error(versionForErrors(stdin), error);
        }
    }

    private CniReply execute(CniEnvironment env, NetworkConfig config, Deadline deadline) {
        return switch (env.command()) {
            case ADD -> CniReply.success(add.run(env, config, deadline));
            case DEL -> {
                del.run(env, config, deadline);
                yield CniReply.empty();
            }
            case CHECK -> {
                check.run(env, config, deadline);
                yield CniReply.empty();
            }
            case GC -> {
                gc.run(env, config, deadline);
                yield CniReply.empty();
            }
            case STATUS -> {
                status.run(env, config, deadline);
                yield CniReply.empty();
            }
            case VERSION -> CniReply.success(version());
        };
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode version() {
        var json = Json.MAPPER.createObjectNode().put("cniVersion", CniVersion.LATEST.text());
        var supported = json.putArray("supportedVersions");
        CniVersion.supported().forEach(supported::add);
        return json;
    }

    /** Errors carry the request's cniVersion when it can be read at all. */
    private static String versionForErrors(byte[] stdin) {
        try {
            JsonNode version = Json.MAPPER.readTree(stdin).get("cniVersion");
            if (version != null && version.isTextual()) {
                CniVersion.parse(version.asText(), "cniVersion");
                return version.asText();
            }
            return CniVersion.IMPLIED.text();
        } catch (Exception unreadable) {
            return CniVersion.LATEST.text();
        }
    }
}
