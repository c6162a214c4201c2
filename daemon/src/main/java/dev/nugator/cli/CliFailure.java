package dev.nugator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** A command failed: what to print on stderr and the exit code. */
final class CliFailure extends RuntimeException {
    private final int exitCode;
    private final List<String> problems;

    CliFailure(int exitCode, String message) {
        this(exitCode, message, List.of());
    }

    CliFailure(int exitCode, String message, List<String> problems) {
        super(message);
        this.exitCode = exitCode;
        this.problems = List.copyOf(problems);
    }

    static CliFailure fromDaemon(JsonNode body) {
        var problems = new ArrayList<String>();
        body.path("problems").forEach(p -> problems.add(p.asText()));
        int code = body.path("unavailable").asBoolean(false) ? Main.UNREACHABLE : 1;
        return new CliFailure(code, body.path("error").asText("nugatord refused the request"), problems);
    }

    int exitCode() {
        return exitCode;
    }

    /** The same failure with each problem reworded, e.g. field paths turned into flag names. */
    CliFailure reword(UnaryOperator<String> rewording) {
        return new CliFailure(exitCode, getMessage(), problems.stream().map(rewording).toList());
    }

    String render() {
        var text = new StringBuilder("nugatorctl: ").append(getMessage());
        problems.forEach(p -> text.append("\n  ").append(p));
        return text.toString();
    }
}
