package dev.nugator.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One CNI invocation made exactly as a runtime makes it: exec the plugin executable with the
 * CNI_* environment and the network config on stdin, then read its exit code and stdout. By default
 * the plugin is the real {@code dist/bin/nugator} and CNI_PATH is {@code dist/bin:/usr/lib/cni}.
 *
 * <p>Nothing leaks in from the test JVM's own environment: any inherited CNI_* variable is removed,
 * so a test that leaves a variable out really sends none. Every call has a deadline (60 s unless
 * set), after which the plugin is killed and the test fails with its output.
 *
 * <pre>{@code
 * CniResult r = CniCall.of("ADD").pod(pod).ifname("eth0").config(conf).run();
 * }</pre>
 */
public final class CniCall {
    private Path plugin;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Set<String> unset = new LinkedHashSet<>();
    private byte[] stdin = new byte[0];
    private Duration deadline = Proc.DEFAULT_DEADLINE;

    private CniCall(String command) {
        env.put("CNI_COMMAND", command);
        env.put("CNI_PATH", Dist.defaultCniPath());
    }

    /** A call with CNI_COMMAND set to {@code command} and the default CNI_PATH. */
    public static CniCall of(String command) {
        return new CniCall(command);
    }

    /** Runs another executable instead of nugator (a delegate called directly, for comparison). */
    public CniCall plugin(Path executable) {
        this.plugin = executable;
        return this;
    }

    /** Sets CNI_CONTAINERID and CNI_NETNS from the pod. */
    public CniCall pod(Pod pod) {
        return containerId(pod.containerId()).netns(pod.netnsPath().toString());
    }

    public CniCall containerId(String id) {
        return env("CNI_CONTAINERID", id);
    }

    /** CNI_NETNS verbatim (may be empty, or a path that does not exist). */
    public CniCall netns(String path) {
        return env("CNI_NETNS", path);
    }

    public CniCall ifname(String ifname) {
        return env("CNI_IFNAME", ifname);
    }

    /** CNI_ARGS, e.g. {@code "IgnoreUnknown=1;K8S_POD_NAMESPACE=ns;K8S_POD_NAME=p"}. */
    public CniCall args(String args) {
        return env("CNI_ARGS", args);
    }

    /** CNI_PATH, colon separated. */
    public CniCall cniPath(String path) {
        return env("CNI_PATH", path);
    }

    /** Prepends a directory (e.g. one holding script plugins) to the current CNI_PATH. */
    public CniCall prependCniPath(Path dir) {
        return env("CNI_PATH", dir + ":" + env.get("CNI_PATH"));
    }

    /** Any variable, CNI or not. */
    public CniCall env(String name, String value) {
        env.put(name, value);
        unset.remove(name);
        return this;
    }

    /** Leaves a variable out entirely (not even empty), to test what happens when it is missing. */
    public CniCall unset(String name) {
        env.remove(name);
        unset.add(name);
        return this;
    }

    public CniCall config(JsonNode config) {
        return stdin(Json.write(config));
    }

    /** Raw stdin, for configs that are deliberately not valid JSON. */
    public CniCall stdin(String text) {
        this.stdin = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return this;
    }

    public CniCall deadline(Duration deadline) {
        this.deadline = deadline;
        return this;
    }

    /** Runs the plugin and returns what it answered; never throws for a non-zero exit. */
    public CniResult run() {
        Path executable = plugin != null ? plugin : Dist.shim();
        var proc = Proc.of(executable.toString()).stdin(stdin).deadline(deadline);
        System.getenv().keySet().stream().filter(k -> k.startsWith("CNI_")).forEach(proc::unsetEnv);
        unset.forEach(proc::unsetEnv);
        env.forEach(proc::env);
        return new CniResult(env.getOrDefault("CNI_COMMAND", "<unset>"), proc.run());
    }
}
