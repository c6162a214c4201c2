package dev.nugator.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CniEnvironmentTest {

    static Map<String, String> add() {
        var env = new HashMap<String, String>();
        env.put("CNI_COMMAND", "ADD");
        env.put("CNI_CONTAINERID", "abc-1.2_3");
        env.put("CNI_NETNS", "/run/netns/p");
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", "/usr/lib/cni");
        env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=ns;K8S_POD_NAME=a");
        return env;
    }

    static void assertEnvError(Map<String, String> env, String mentions) {
        assertThatThrownBy(() -> CniEnvironment.parse(env)).isInstanceOfSatisfying(CniError.class, e -> {
            assertThat(e.code()).isEqualTo(CniError.INVALID_ENVIRONMENT);
            assertThat(e.getMessage()).contains(mentions);
        });
    }

    @Test
    void validAddParses() {
        var env = CniEnvironment.parse(add());
        assertThat(env.command()).isEqualTo(CniCommand.ADD);
        assertThat(env.args().get("K8S_POD_NAME")).hasValue("a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_PATH", "CNI_COMMAND"})
    void missingVariableIsNamed(String variable) {
        var env = add();
        env.remove(variable);
        assertEnvError(env, variable);
    }

    @Test
    void delMayHaveEmptyNetnsAndGcNeedsOnlyPath() {
        var del = add();
        del.put("CNI_COMMAND", "DEL");
        del.put("CNI_NETNS", "");
        assertThat(CniEnvironment.parse(del).netns()).isEmpty();
        assertThat(CniEnvironment.parse(Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/x")).command()).isEqualTo(CniCommand.GC);
        assertEnvError(Map.of("CNI_COMMAND", "STATUS"), "CNI_PATH");
        assertThat(CniEnvironment.parse(Map.of("CNI_COMMAND", "VERSION")).command()).isEqualTo(CniCommand.VERSION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"add", "FOO", "DELETE"})
    void unknownCommandIsRefused(String command) {
        var env = add();
        env.put("CNI_COMMAND", command);
        assertEnvError(env, "CNI_COMMAND");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-abc", "a/b", "a b", "a;b", ".hidden"})
    void badContainerIdIsRefused(String id) {
        var env = add();
        env.put("CNI_CONTAINERID", id);
        assertEnvError(env, "CNI_CONTAINERID");
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "..", "a/b", "eth:0", "eth 0", "sixteen-chars-ab"})
    void badIfnameIsRefused(String ifname) {
        var env = add();
        env.put("CNI_IFNAME", ifname);
        assertEnvError(env, "CNI_IFNAME");
    }

    @ParameterizedTest
    @ValueSource(strings = {"e\u00e0", "eth\u00a0", "\u00e9th0", "e\u007f", "e\u0085x", "e\u2028", "eth\u0000"})
    void nonAsciiOrUnprintableIfnameIsRefused(String ifname) {
        var env = add();
        env.put("CNI_IFNAME", ifname);
        assertEnvError(env, "CNI_IFNAME");
        assertThatThrownBy(() -> CniEnvironment.parse(env)).hasMessageContaining("printable ASCII");
    }

    @Test
    void fifteenByteIfnameIsFine() {
        var env = add();
        env.put("CNI_IFNAME", "fifteen-chars-a");
        assertThat(CniEnvironment.parse(env).ifname()).hasSize(15);
    }

    @Test
    void malformedCniArgsIsRefused() {
        var env = add();
        env.put("CNI_ARGS", "K8S_POD_NAME");
        assertEnvError(env, "CNI_ARGS");
    }
}
