package dev.nugator.cni;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.stream.Collectors;

/**
 * The CNI_* variables as any runtime may set them: they validate, or fail with the spec's "invalid
 * environment" code naming the variable; CNI_ARGS that parse, written back as K=V;K=V, parse to the
 * same values.
 */
class CniEnvironmentFuzzTest {
    private static final String[] COMMANDS = {"ADD", "DEL", "CHECK", "GC", "STATUS", "VERSION", "add", ""};

    /** CNI_ARGS reaches nugatord as UTF-8 in the shim's request, so it is fuzzed as bytes. */
    @FuzzTest
    void cniArgsParseOrAreRefused(byte[] utf8) {
        String raw = new String(utf8, StandardCharsets.UTF_8);
        CniArgs args;
        try {
            args = CniArgs.parse(raw);
        } catch (CniError refused) {
            assertThat(refused.code()).isEqualTo(CniError.INVALID_ENVIRONMENT);
            assertThat(refused.getMessage()).contains("CNI_ARGS");
            return;
        }
        String written = args.values().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";"));
        assertThat(CniArgs.parse(written).values()).isEqualTo(args.values());
    }

    @FuzzTest
    void environmentValidatesOrNamesTheVariable(FuzzedDataProvider data) {
        var env = new HashMap<String, String>();
        if (data.consumeBoolean()) {
            env.put("CNI_COMMAND", data.consumeBoolean() ? data.pickValue(COMMANDS) : data.consumeString(8));
        }
        for (String variable : new String[] {"CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_PATH", "CNI_ARGS"}) {
            if (data.consumeBoolean()) {
                env.put(variable, data.consumeString(40));
            }
        }
        CniEnvironment parsed;
        try {
            parsed = CniEnvironment.parse(env);
        } catch (CniError refused) {
            assertThat(refused.code()).isEqualTo(CniError.INVALID_ENVIRONMENT);
            assertThat(refused.getMessage()).contains("CNI_");
            return;
        }
        if (parsed.command().needsIfname()) {
            assertThat(Names.ifnameProblem(parsed.ifname())).isNull();
        }
        if (parsed.command().needsContainer()) {
            assertThat(parsed.containerId()).matches(Names::isIdentifier);
        }
        assertThat(parsed.args().raw()).isEqualTo(env.getOrDefault("CNI_ARGS", ""));
    }
}
