package dev.nugator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nugator.cni.Json;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nugatorctl status}: every link with both ends, pending, up or error, and why; then every
 * stored record nugatord could not read and skipped, so that a link missing from the table is explained.
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show every link with both ends: pending, up or error, and why.")
final class StatusCommand extends CliCommand {
    @Mixin DaemonOptions daemon;
    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json. Default: ${DEFAULT-VALUE}")
    String output;

    @Override
    void run() {
        var reply = daemon.callAll(Json.MAPPER.createObjectNode().put("op", "status"), PagedReply.ARRAYS);
        if (output.equals("json")) {
            System.out.println(Json.pretty(reply));
            return;
        }
        var rows = new ArrayList<List<String>>();
        rows.add(List.of("LINK", "STATE", "END A", "END B", "WHY"));
        for (JsonNode link : reply.path("links")) {
            rows.add(List.of(link.path("id").asText(), link.path("state").asText(),
                    end(link.path("a")), end(link.path("b")), link.path("reason").asText()));
        }
        print(rows);
        for (JsonNode record : reply.path("unreadable")) {
            System.out.println("unreadable record " + record.path("key").asText() + ": " + record.path("reason").asText());
        }
    }

    /** "ns/pod:if up (node2 vxlan)": where and what the end is, when known. */
    private static String end(JsonNode end) {
        var where = String.join(" ", java.util.stream.Stream.of(end.path("node").asText(), end.path("kind").asText())
                .filter(t -> !t.isEmpty()).toList());
        return end.path("end").asText() + " " + end.path("state").asText() + (where.isEmpty() ? "" : " (" + where + ")");
    }

    private static void print(List<List<String>> rows) {
        int columns = rows.getFirst().size();
        int[] widths = new int[columns];
        rows.forEach(r -> {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        });
        for (var row : rows) {
            var line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i == columns - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
            }
            System.out.println(line.toString().stripTrailing());
        }
    }
}
