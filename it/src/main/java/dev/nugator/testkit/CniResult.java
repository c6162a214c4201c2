package dev.nugator.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A plugin's answer: exit code, stdout (the CNI result or error JSON) and stderr (logs). Accessors
 * throw AssertionErrors that print the whole answer, so a failing test explains itself.
 */
public record CniResult(String command, ProcResult proc) {

    public int exitCode() {
        return proc.exitCode();
    }

    public String stdout() {
        return proc.stdout();
    }

    public String stderr() {
        return proc.stderr();
    }

    public boolean succeeded() {
        return proc.succeeded();
    }

    /** stdout as JSON; an AssertionError when it is not JSON. */
    public JsonNode json() {
        return Json.tryParse(stdout()).orElseThrow(() -> new AssertionError(command + ": stdout is not JSON\n" + describe()));
    }

    public Optional<JsonNode> jsonIfAny() {
        return Json.tryParse(stdout());
    }

    /** This result when the plugin exited 0, else an AssertionError with everything it printed. */
    public CniResult requireSuccess() {
        if (!succeeded()) {
            throw new AssertionError(command + " failed\n" + describe());
        }
        return this;
    }

    /** The CNI error code on stdout; an AssertionError when the plugin succeeded or printed no error. */
    public int errorCode() {
        JsonNode code = requireError().get("code");
        return code.asInt();
    }

    /** The CNI error message on stdout. */
    public String errorMsg() {
        return requireError().path("msg").asText();
    }

    /** msg and details together, for "the message names X" assertions that allow either. */
    public String errorText() {
        JsonNode error = requireError();
        return error.path("msg").asText() + " " + error.path("details").asText();
    }

    private JsonNode requireError() {
        if (succeeded()) {
            throw new AssertionError(command + " was expected to fail but exited 0\n" + describe());
        }
        JsonNode json = json();
        if (!json.has("code") || !json.get("code").canConvertToInt()) {
            throw new AssertionError(command + ": no CNI error code on stdout\n" + describe());
        }
        return json;
    }

    public String describe() {
        return proc.describe();
    }

    @Override
    public String toString() {
        return describe();
    }
}
