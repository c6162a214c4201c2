package dev.nugator.plugin;

import dev.nugator.cni.CniError;
import dev.nugator.cni.Deadline;
import dev.nugator.cni.Json;
import dev.nugator.delegate.PluginExecutor;
import dev.nugator.delegate.PluginOutcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Stands in for plugin binaries in unit tests of the dispatcher: records calls, answers as told. */
final class FakeExecutor implements PluginExecutor {
    record Call(String type, String command, String ifname, String stdin) {}

    final List<Call> calls = new ArrayList<>();
    final Map<String, Function<Call, PluginOutcome>> answers = new HashMap<>();
    Runnable beforeEachCall = () -> {};

    @Override
    public synchronized PluginOutcome run(String type, String cniPath, Map<String, String> env, byte[] stdin, Deadline deadline) {
        beforeEachCall.run();
        var call = new Call(type, env.get("CNI_COMMAND"), env.get("CNI_IFNAME"), new String(stdin, StandardCharsets.UTF_8));
        calls.add(call);
        var answer = answers.get(type + " " + call.command());
        if (answer != null) {
            return answer.apply(call);
        }
        if (call.command().equals("ADD")) {
            var result = Json.MAPPER.createObjectNode().put("cniVersion", "1.0.0");
            result.putArray("interfaces").addObject().put("name", call.ifname());
            result.putArray("ips").addObject().put("address", "192.0.2." + calls.size() + "/24").put("interface", 0);
            return new PluginOutcome(0, Json.bytes(result), "");
        }
        return new PluginOutcome(0, new byte[0], "");
    }

    @Override
    public void requireAvailable(String type, String cniPath) {
        if (type.startsWith("missing")) {
            throw new CniError(CniError.DELEGATE_NOT_FOUND, "plugin '" + type + "' not found in CNI_PATH " + cniPath);
        }
    }

    static PluginOutcome cniError(int code, String msg) {
        var error = Json.MAPPER.createObjectNode().put("cniVersion", "1.0.0").put("code", code).put("msg", msg);
        return new PluginOutcome(1, Json.bytes(error), "");
    }

    List<String> trace() {
        return calls.stream().map(c -> c.command() + " " + c.type() + " " + c.ifname()).toList();
    }
}
