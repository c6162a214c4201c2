package dev.nugator.delegate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.CniCommand;
import dev.nugator.cni.CniEnvironment;
import dev.nugator.cni.CniError;
import dev.nugator.cni.Deadline;
import dev.nugator.cni.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the CNI commands on one delegate: builds its environment and stdin (its own interface
 * name, its own cached result as prevResult) and turns its answer into a result or a CNI error
 * that says which delegate failed.
 */
public final class DelegateRunner {
    private final PluginExecutor executor;

    public DelegateRunner(PluginExecutor executor) {
        this.executor = executor;
    }

    /** Fails with 101, naming the config field, unless every delegate's plugin is on CNI_PATH. */
    public void requireAvailable(java.util.List<Delegate> delegates, CniEnvironment env) {
        for (var delegate : delegates) {
            try {
                executor.requireAvailable(delegate.type(), env.path());
            } catch (CniError e) {
                throw e.within("delegates[" + delegate.index() + "].type");
            }
        }
    }

    /** Runs ADD and returns the delegate's result exactly as it printed it (its own version). */
    public ObjectNode add(Delegate delegate, CniEnvironment env, Deadline deadline) {
        byte[] stdout = run(delegate, CniCommand.ADD, env, delegate.config(), deadline);
        try {
            return Json.parseObject(stdout, delegate.label() + "'s result");
        } catch (CniError e) {
            throw new CniError(CniError.DELEGATE_FAILED, e.getMessage());
        }
    }

    public void del(Delegate delegate, CniEnvironment env, Optional<ObjectNode> cachedResult, Deadline deadline) {
        var config = delegate.config().deepCopy();
        if (delegate.version().supportsDelPrevResult()) {
            cachedResult.ifPresent(r -> config.set("prevResult", r.deepCopy()));
        }
        run(delegate, CniCommand.DEL, env, config, deadline);
    }

    public void check(Delegate delegate, CniEnvironment env, ObjectNode cachedResult, Deadline deadline) {
        var config = delegate.config().deepCopy();
        config.set("prevResult", cachedResult.deepCopy());
        run(delegate, CniCommand.CHECK, env, config, deadline);
    }

    public void gc(Delegate delegate, CniEnvironment env, ArrayNode validAttachments, Deadline deadline) {
        var config = delegate.config().deepCopy();
        config.set("cni.dev/valid-attachments", validAttachments);
        run(delegate, CniCommand.GC, env, config, deadline);
    }

    public void status(Delegate delegate, CniEnvironment env, Deadline deadline) {
        run(delegate, CniCommand.STATUS, env, delegate.config(), deadline);
    }

    private byte[] run(Delegate delegate, CniCommand command, CniEnvironment env, ObjectNode stdin, Deadline deadline) {
        PluginOutcome outcome;
        try {
            outcome = executor.run(delegate.type(), env.path(), environment(delegate, command, env), Json.bytes(stdin), deadline);
        } catch (CniError e) {
            throw e.within(delegate.label());
        }
        if (!outcome.succeeded()) {
            throw failure(delegate, command, outcome);
        }
        return outcome.stdout();
    }

    private static Map<String, String> environment(Delegate delegate, CniCommand command, CniEnvironment env) {
        var vars = new LinkedHashMap<String, String>();
        vars.put("CNI_COMMAND", command.name());
        vars.put("CNI_CONTAINERID", env.containerId());
        vars.put("CNI_NETNS", env.netns());
        vars.put("CNI_IFNAME", command == CniCommand.GC || command == CniCommand.STATUS ? "" : delegate.ifname());
        vars.put("CNI_ARGS", env.args().raw());
        vars.put("CNI_PATH", env.path());
        return vars;
    }

    /** A plugin's own CNI error keeps its code; anything else is "delegate failed" with its stderr. */
    private static CniError failure(Delegate delegate, CniCommand command, PluginOutcome outcome) {
        String where = delegate.label() + " " + command;
        try {
            var error = Json.MAPPER.readTree(outcome.stdout());
            JsonNode code = error == null ? null : error.get("code");
            if (code != null && code.canConvertToInt() && code.asInt() > 0) {
                return new CniError(code.asInt(), where + ": " + error.path("msg").asText(""), error.path("details").asText(""));
            }
        } catch (java.io.IOException notJson) {
            // fall through: report the exit code and stderr instead
        }
        String stderr = outcome.stderr().isEmpty() ? "" : ": " + tail(outcome.stderr());
        return new CniError(CniError.DELEGATE_FAILED, where + " failed with exit code " + outcome.exitCode() + stderr);
    }

    private static String tail(String text) {
        return text.length() <= 500 ? text : "..." + text.substring(text.length() - 500);
    }
}
