package dev.nugator.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nugator.cni.CniReply;
import dev.nugator.cni.Json;
import dev.nugator.cni.CniError;
import dev.nugator.store.Attachment;
import dev.nugator.store.AttachmentKey;
import dev.nugator.store.AttachmentStore;
import dev.nugator.store.FileAttachmentStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nugator plugin's command logic with a fake executor; the real plugins are in the it module. */
class DispatcherTest {
    static final String TWO_DELEGATES = """
            {"cniVersion":"1.0.0","name":"net","type":"nugator",
             "delegates":[{"type":"first"},{"type":"second","cniVersion":"0.4.0"}]}""";
    static final AttachmentKey KEY = new AttachmentKey("net", "c1", "eth0");

    @TempDir Path state;
    FakeExecutor executor;
    FileAttachmentStore store;
    Dispatcher dispatcher;

    @BeforeEach
    void setUp() {
        executor = new FakeExecutor();
        store = new FileAttachmentStore(state, Json.MAPPER);
        // no namespaces here: CNI_NETNS is only checked for its form (the integration tests give real ones)
        dispatcher = new Dispatcher(store, executor, Duration.ofSeconds(5), Duration.ofSeconds(5),
                env -> dev.nugator.netlink.NetnsPath.parse("CNI_NETNS", env.netns()));
    }

    CniReply call(String command, String config) {
        return call(command, config, Map.of());
    }

    CniReply call(String command, String config, Map<String, String> extra) {
        var env = new HashMap<>(Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", "c1", "CNI_NETNS", "/run/netns/p",
                "CNI_IFNAME", "eth0", "CNI_PATH", "/opt/cni/bin"));
        env.putAll(extra);
        return dispatcher.handle(env, config.getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode out(CniReply reply) throws IOException {
        return Json.MAPPER.readTree(reply.stdout());
    }

    @Test
    void addRunsDelegatesInOrderAsNetIAndMergesTheirResults() throws IOException {
        var reply = call("ADD", TWO_DELEGATES);
        assertThat(reply.exitCode()).isZero();
        assertThat(executor.trace()).containsExactly("ADD first net0", "ADD second net1");
        var result = out(reply);
        assertThat(result.at("/interfaces/1/name").asText()).isEqualTo("net1");
        assertThat(result.at("/ips/1/interface").asInt()).isEqualTo(1);
        assertThat(executor.calls.get(0).stdin()).contains("\"cniVersion\":\"1.0.0\"").contains("\"name\":\"net\"");
        assertThat(executor.calls.get(1).stdin()).contains("\"cniVersion\":\"0.4.0\"");
        assertThat(store.load(KEY)).hasValueSatisfying(a -> assertThat(a.complete()).isTrue());
    }

    @Test
    void commandsOneAfterAnotherRunOnOneWorkerThread() {
        var workers = new java.util.HashSet<String>();
        executor.beforeEachCall = () -> workers.add(Thread.currentThread().getName());
        for (int i = 0; i < 10; i++) {
            assertThat(call("ADD", TWO_DELEGATES).exitCode()).isZero();
            assertThat(call("DEL", TWO_DELEGATES).exitCode()).isZero();
        }
        // A thread is made when no idle one can take the command, not one per command up to the bound
        // (32). Two at most: the worker that answered may not be waiting for work yet when the next
        // command comes, and that command then gets a thread of its own; the next one finds one idle.
        assertThat(workers).hasSizeBetween(1, 2).allMatch(name -> name.startsWith("nugatord-cni-"));
    }

    @Test
    void stateIsWrittenBeforeTheFirstDelegateRuns() {
        executor.beforeEachCall = () -> assertThat(store.load(KEY)).isPresent();
        assertThat(call("ADD", TWO_DELEGATES).exitCode()).isZero();
    }

    /** A chained config without delegates: its ADD writes its record once, complete. */
    static final String CHAINED = """
            {"cniVersion":"1.0.0","name":"net","type":"nugator",
             "prevResult":{"cniVersion":"1.0.0","interfaces":[{"name":"eth0","sandbox":"/run/netns/p"}],"ips":[]}}""";

    /** The dispatcher over the real store, but for what a save does. */
    private void dispatchSavingWith(java.util.function.Consumer<Attachment> save) {
        var saving = new AttachmentStore() {
            @Override public Optional<Attachment> load(AttachmentKey key) { return store.load(key); }
            @Override public void save(Attachment attachment) { save.accept(attachment); }
            @Override public void delete(AttachmentKey key) { store.delete(key); }
            @Override public List<AttachmentKey> list(String network) { return store.list(network); }
            @Override public Optional<String> unavailableReason() { return store.unavailableReason(); }
        };
        dispatcher = new Dispatcher(saving, executor, Duration.ofSeconds(5), Duration.ofSeconds(5),
                env -> dev.nugator.netlink.NetnsPath.parse("CNI_NETNS", env.netns()));
    }

    @Test
    void aNetworkWithoutDelegatesWritesItsRecordOnceAndComplete() throws IOException {
        // what the store is asked to write, in order (the records themselves go to the real one)
        var saves = new ArrayList<Attachment>();
        dispatchSavingWith(attachment -> {
            saves.add(attachment);
            store.save(attachment);
        });

        var reply = call("ADD", CHAINED);

        assertThat(reply.exitCode()).as(reply.toString()).isZero();
        assertThat(out(reply).at("/interfaces/0/name").asText()).isEqualTo("eth0");
        assertThat(saves).as("one synced write: nothing for a pending record to help undo").hasSize(1);
        assertThat(saves.getFirst().complete()).isTrue();
        assertThat(call("ADD", CHAINED).exitCode()).as("a second ADD is refused as before").isEqualTo(1);
        assertThat(call("DEL", CHAINED).exitCode()).isZero();
        assertThat(store.load(KEY)).isEmpty();

        saves.clear();
        assertThat(call("ADD", TWO_DELEGATES).exitCode()).isZero();
        assertThat(saves).as("with delegates: pending first, then each result, then complete").hasSize(4);
        assertThat(saves.getFirst().complete()).isFalse();
    }

    @Test
    void anAddWhoseRecordCannotBeWrittenFailsAndLeavesNothing() throws IOException {
        // A network without delegates writes its record beside the rest of the ADD: its failure is still the ADD's.
        dispatchSavingWith(attachment -> {
            throw new java.io.UncheckedIOException(new IOException("No space left on device"));
        });

        var reply = call("ADD", CHAINED);

        assertThat(reply.exitCode()).as(reply.toString()).isEqualTo(1);
        assertThat(out(reply).get("code").asInt()).isEqualTo(CniError.IO_FAILURE);
        assertThat(out(reply).get("msg").asText()).contains("No space left on device");
        assertThat(store.load(KEY)).isEmpty();
        assertThat(store.list("net")).isEmpty();
    }

    @Test
    void failedSecondDelegateRollsBackTheFirstInReverse() throws IOException {
        executor.answers.put("second ADD", c -> FakeExecutor.cniError(7, "bad subnet"));
        var reply = call("ADD", TWO_DELEGATES);
        assertThat(reply.exitCode()).isEqualTo(1);
        assertThat(out(reply).get("code").asInt()).isEqualTo(7);
        assertThat(out(reply).get("msg").asText()).contains("delegate net1 (second)").contains("bad subnet");
        assertThat(executor.trace()).containsExactly("ADD first net0", "ADD second net1", "DEL second net1", "DEL first net0");
        assertThat(store.load(KEY)).isEmpty();
    }

    @Test
    void missingDelegateBinaryChangesNothing() throws IOException {
        var reply = call("ADD", TWO_DELEGATES.replace("\"second\"", "\"missing-one\""));
        assertThat(out(reply).get("code").asInt()).isEqualTo(101);
        assertThat(out(reply).get("msg").asText()).contains("delegates[1].type").contains("missing-one");
        assertThat(executor.calls).isEmpty();
        assertThat(store.load(KEY)).isEmpty();
    }

    @Test
    void secondAddWithoutDelFailsAndKeepsTheFirst() throws IOException {
        call("ADD", TWO_DELEGATES);
        var again = call("ADD", TWO_DELEGATES);
        assertThat(out(again).get("code").asInt()).isEqualTo(102);
        assertThat(executor.trace()).hasSize(2);
        assertThat(store.load(KEY)).isPresent();
        assertThat(call("DEL", TWO_DELEGATES).exitCode()).isZero();
        assertThat(call("ADD", TWO_DELEGATES).exitCode()).isZero();
    }

    @Test
    void delUsesEachDelegatesCachedResultAsPrevResultWhereTheVersionAllows() {
        call("ADD", TWO_DELEGATES.replace("{\"type\":\"first\"}", "{\"type\":\"first\",\"cniVersion\":\"0.3.1\"}"));
        assertThat(call("DEL", TWO_DELEGATES).exitCode()).isZero();
        var dels = executor.calls.stream().filter(c -> c.command().equals("DEL")).toList();
        assertThat(dels).extracting(FakeExecutor.Call::type).containsExactly("second", "first");
        assertThat(dels.get(0).stdin()).contains("prevResult");
        assertThat(dels.get(1).stdin()).doesNotContain("prevResult");
        assertThat(store.load(KEY)).isEmpty();
    }

    @Test
    void delWithoutStateOrWithCorruptStateUsesTheConfig() throws IOException {
        assertThat(call("DEL", TWO_DELEGATES).exitCode()).isZero();
        assertThat(executor.trace()).containsExactly("DEL second net1", "DEL first net0");
        Path record = state.resolve("attachments/net/c1/eth0.json");
        Files.createDirectories(record.getParent());
        Files.writeString(record, "{not json");
        assertThat(call("DEL", TWO_DELEGATES).exitCode()).isZero();
        assertThat(record).doesNotExist();
    }

    @Test
    void failingDelegateDelIsReportedAndTheRecordKeptForTheRetry() throws IOException {
        call("ADD", TWO_DELEGATES);
        executor.answers.put("second DEL", c -> FakeExecutor.cniError(11, "busy"));
        var reply = call("DEL", TWO_DELEGATES);
        assertThat(out(reply).get("code").asInt()).isEqualTo(11);
        assertThat(executor.trace()).contains("DEL first net0");
        assertThat(store.load(KEY)).isPresent();
        executor.answers.clear();
        assertThat(call("DEL", TWO_DELEGATES).exitCode()).isZero();
        assertThat(store.load(KEY)).isEmpty();
    }

    @Test
    void masterPluginGetsTheRuntimeIfname() {
        call("ADD", "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"type\":\"nugator\",\"delegates\":[{\"type\":\"a\"},{\"type\":\"b\",\"masterplugin\":true}]}");
        assertThat(executor.trace()).containsExactly("ADD a net0", "ADD b eth0");
    }

    @Test
    void chainedModePassesPrevResultThrough() throws IOException {
        var reply = call("ADD", """
                {"cniVersion":"0.4.0","name":"net","type":"nugator",
                 "prevResult":{"cniVersion":"0.4.0","interfaces":[{"name":"eth0","sandbox":"/run/netns/p"}],
                               "ips":[{"version":"4","address":"198.51.100.7/24","interface":0}]}}""");
        assertThat(reply.exitCode()).isZero();
        assertThat(out(reply).at("/ips/0/address").asText()).isEqualTo("198.51.100.7/24");
        assertThat(out(reply).at("/ips/0/version").asText()).isEqualTo("4");
        assertThat(executor.calls).isEmpty();
    }

    @Test
    void runtimeConfigGoesOnlyToDelegatesDeclaringTheCapability() {
        call("ADD", """
                {"cniVersion":"1.0.0","name":"net","type":"nugator","runtimeConfig":{"ips":["192.0.2.9/24"],"mac":"0a:00:00:00:00:01"},
                 "delegates":[{"type":"a","capabilities":{"ips":true}},{"type":"b"}]}""");
        assertThat(executor.calls.get(0).stdin()).contains("\"runtimeConfig\":{\"ips\":[\"192.0.2.9/24\"]}");
        assertThat(executor.calls.get(1).stdin()).doesNotContain("runtimeConfig");
    }

    @Test
    void gcRemovesAttachmentsNotListedAndForwardsToNewDelegates() throws IOException {
        String config = "{\"cniVersion\":\"1.1.0\",\"name\":\"net\",\"type\":\"nugator\",\"delegates\":[{\"type\":\"a\"}]}";
        call("ADD", config);
        call("ADD", config, Map.of("CNI_CONTAINERID", "c2"));
        executor.calls.clear();
        String gc = config.replace("\"delegates\"", "\"cni.dev/valid-attachments\":[{\"containerID\":\"c2\",\"ifname\":\"eth0\"}],\"delegates\"");
        assertThat(call("GC", gc).exitCode()).isZero();
        assertThat(executor.trace()).containsExactly("DEL a net0", "GC a ");
        assertThat(executor.calls.get(1).stdin()).contains("{\"containerID\":\"c2\",\"ifname\":\"net0\"}");
        assertThat(store.list("net")).containsExactly(new AttachmentKey("net", "c2", "eth0"));
    }

    @Test
    void checkAsksEachDelegateWithItsOwnResult() throws IOException {
        String config = "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"type\":\"nugator\",\"delegates\":[{\"type\":\"a\"},{\"type\":\"old\",\"cniVersion\":\"0.3.1\"}]}";
        call("ADD", config);
        assertThat(call("CHECK", config).exitCode()).isZero();
        var checks = executor.calls.stream().filter(c -> c.command().equals("CHECK")).toList();
        assertThat(checks).extracting(FakeExecutor.Call::type).containsExactly("a");
        assertThat(checks.get(0).stdin()).contains("\"prevResult\"").contains("192.0.2.1/24");
        executor.answers.put("a CHECK", c -> FakeExecutor.cniError(999, "net0 has no address 192.0.2.1/24"));
        var failed = call("CHECK", config);
        assertThat(out(failed).get("msg").asText()).contains("delegate net0 (a)").contains("no address");
    }

    @Test
    void versionCommandsCheckTheirMinimumVersion() throws IOException {
        assertThat(out(call("CHECK", TWO_DELEGATES.replace("1.0.0", "0.3.1"))).get("code").asInt()).isEqualTo(1);
        assertThat(out(call("GC", TWO_DELEGATES)).get("code").asInt()).isEqualTo(1);
        assertThat(out(call("STATUS", TWO_DELEGATES)).get("code").asInt()).isEqualTo(1);
        var version = out(call("VERSION", ""));
        assertThat(version.get("supportedVersions")).extracting(JsonNode::asText)
                .containsExactly("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");
    }

    @Test
    void errorsCarryTheRequestVersion() throws IOException {
        var reply = call("ADD", "{\"cniVersion\":\"0.3.1\",\"name\":\"net\",\"type\":\"nugator\",\"delegates\":[{}]}");
        assertThat(out(reply).get("cniVersion").asText()).isEqualTo("0.3.1");
        assertThat(out(reply).get("code").asInt()).isEqualTo(7);
        assertThat(out(call("ADD", "{oops")).get("code").asInt()).isEqualTo(6);
    }

    @Test
    void delOfADelegateThatRefusesForGoodSucceedsAfterDelingTheRest() {
        call("ADD", TWO_DELEGATES);
        executor.answers.put("second DEL", c -> FakeExecutor.cniError(999, "master link eth0 not found"));
        assertThat(call("DEL", TWO_DELEGATES).exitCode()).isZero();
        assertThat(executor.trace()).endsWith("DEL second net1", "DEL first net0");
        assertThat(store.load(KEY)).isEmpty();
    }
}
