package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nugator.testkit.Json;
import dev.nugator.testkit.Names;
import dev.nugator.testkit.NugatorNode;
import dev.nugator.testkit.Nugatorctl;
import dev.nugator.testkit.Proc;
import dev.nugator.testkit.ProcResult;
import dev.nugator.testkit.RootIntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A stored link record that nugatord cannot read (damaged on disk, or written by a newer release)
 * is skipped, and {@code nugatorctl status} says so: in the JSON an {@code unreadable} array of
 * {key, reason}, in the table a line per record after the links. The record is damaged for real,
 * with {@code sqlite3} on the embedded store's file while nugatord runs.
 */
@RootIntegrationTest
class UnreadableRecordsTest {
    @RegisterExtension
    static final NugatorNode NODE = NugatorNode.create();

    private static final Path SQLITE3 = Path.of("/usr/bin/sqlite3");

    @Test
    void statusListsAStoredLinkItCannotReadAndStillShowsTheOthers() {
        var ctl = Nugatorctl.at(NODE.socket());
        String name = Names.unique("ntbroken");
        ctl.applyTopology("name: " + name + "\nlinks:\n"
                + "  - a: {pod: ntkeep-a, ifname: k1}\n    b: {pod: ntkeep-b, ifname: k1}\n"
                + "  - a: {pod: ntbad-a, ifname: b1}\n    b: {pod: ntbad-b, ifname: b1}\n").requireSuccess();
        String key = "/nugator/v1/links/" + ctl.status().link("default/ntbad-a:b1").id();
        try {
            sql("UPDATE kv SET value = CAST('{\"id\": \"cut off' AS BLOB) WHERE key = CAST('" + key + "' AS BLOB); SELECT changes();",
                    "1");

            ProcResult json = ctl.run("status", "-o", "json");
            assertThat(json.exitCode()).as(json.describe()).isZero();
            JsonNode root = Json.parse(json.stdout());
            assertThat(root.path("unreadable")).as("unreadable in %s", root).anySatisfy(record -> {
                assertThat(record.path("key").asText()).isEqualTo(key);
                assertThat(record.path("reason").asText()).isNotBlank();
            });
            assertThat(root.path("links")).as("links in %s", root).anySatisfy(
                    link -> assertThat(link.path("a").path("end").asText()).isEqualTo("default/ntkeep-a:k1"));

            ProcResult table = ctl.run("status");
            assertThat(table.exitCode()).as(table.describe()).isZero();
            List<String> lines = table.stdout().lines().toList();
            int keptRow = indexOf(lines, "default/ntkeep-a:k1");
            int recordLine = indexOf(lines, "unreadable record " + key + ": ");
            assertThat(recordLine).as(table.describe()).isGreaterThan(keptRow).isGreaterThan(0);
            assertThat(lines.get(recordLine)).as(table.describe()).startsWith("unreadable record " + key + ": ")
                    .hasSizeGreaterThan(("unreadable record " + key + ": ").length());
        } finally {
            sql("DELETE FROM kv WHERE key = CAST('" + key + "' AS BLOB); SELECT changes();", null);
            ctl.run("topology", "delete", name);
        }
    }

    /** Runs {@code statements} on the daemon's store beside it (SQLite in WAL mode takes a second writer). */
    private static void sql(String statements, String expectedOutput) {
        Path db = NODE.daemon().stateDir().resolve("store.db");
        assertThat(Files.isExecutable(SQLITE3)).as("%s (make test installs it)", SQLITE3).isTrue();
        var result = Proc.of(SQLITE3.toString(), "-cmd", ".timeout 10000", db.toString(), statements)
                .deadline(Duration.ofSeconds(30)).run().requireSuccess();
        if (expectedOutput != null) {
            assertThat(result.stdout().strip()).as("rows changed in %s", db).isEqualTo(expectedOutput);
        }
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
