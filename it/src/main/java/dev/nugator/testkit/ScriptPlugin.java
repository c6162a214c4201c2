package dev.nugator.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tiny {@code /bin/sh} CNI plugins written into a test's own CNI bin dir, for behaviour the
 * reference plugins cannot show on demand: failing, hanging, or recording exactly what nugator
 * passed them. Each answers VERSION properly and succeeds silently on every command it was not
 * asked to misbehave on, so only the behaviour under test differs from a well-behaved plugin.
 * Put the dir first on CNI_PATH ({@link CniCall#prependCniPath}).
 */
public final class ScriptPlugin {
    private static final String PROLOGUE = """
            #!/bin/sh
            # test plugin written by dev.nugator.testkit.ScriptPlugin
            if [ "$CNI_COMMAND" = VERSION ]; then
              printf '{"cniVersion":"1.0.0","supportedVersions":["0.1.0","0.2.0","0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}'
              exit 0
            fi
            """;

    private ScriptPlugin() {}

    /** Writes {@code dir/type} with the common prologue and {@code body}, executable. */
    public static Path install(Path dir, String type, String body) {
        Path file = dir.resolve(type);
        try {
            Files.createDirectories(dir);
            Files.writeString(file, PROLOGUE + body);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** ADD fails with a proper CNI error {@code code}/{@code msg}; everything else succeeds. */
    public static Path failing(Path dir, String type, int code, String msg) {
        return install(dir, type, """
                cat >/dev/null
                if [ "$CNI_COMMAND" = ADD ]; then
                  printf '{"cniVersion":"1.0.0","code":%d,"msg":"%s","details":"from %s"}'
                  exit 1
                fi
                exit 0
                """.formatted(code, msg, type));
    }

    /** ADD exits 2 printing something that is not a CNI error (a crashed plugin). */
    public static Path crashing(Path dir, String type) {
        return install(dir, type, """
                cat >/dev/null
                if [ "$CNI_COMMAND" = ADD ]; then
                  echo 'panic: runtime error: index out of range'
                  echo 'goroutine 1 [running]:' >&2
                  exit 2
                fi
                exit 0
                """);
    }

    /**
     * ADD writes its pid to {@code pidFile} and sleeps {@code seconds} (the process is the sleep
     * itself, so killing that pid ends it); everything else succeeds at once.
     */
    public static Path sleeping(Path dir, String type, int seconds, Path pidFile) {
        return install(dir, type, """
                cat >/dev/null
                if [ "$CNI_COMMAND" = ADD ]; then
                  echo $$ > '%s'
                  exec sleep %d
                fi
                exit 0
                """.formatted(pidFile, seconds));
    }

    /**
     * A well-behaved plugin that records every call in {@code logDir}: one line per call in
     * {@code calls} ("seq COMMAND IFNAME") plus {@code seq.json} (its stdin) and {@code seq.env}
     * (its CNI_* environment). ADD answers a result without interfaces or addresses, in the version
     * of the config it was given.
     */
    public static Recorder recording(Path dir, String type, Path logDir) {
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        install(dir, type, """
                log='%s'
                stdin=$(cat)
                seq=$(cat "$log/calls" 2>/dev/null | wc -l)
                printf '%%s' "$stdin" > "$log/$seq.json"
                env | grep '^CNI_' > "$log/$seq.env"
                echo "$seq $CNI_COMMAND ${CNI_IFNAME:--}" >> "$log/calls"
                if [ "$CNI_COMMAND" = ADD ]; then
                  v=$(printf '%%s' "$stdin" | tr -d '\\n' | grep -o '"cniVersion" *: *"[^"]*"' | head -n 1 | sed 's/.*"\\([^"]*\\)"$/\\1/')
                  case "$v" in
                    0.1.*|0.2.*) printf '{"cniVersion":"%%s","dns":{}}' "$v" ;;
                    *) printf '{"cniVersion":"%%s","interfaces":[],"ips":[],"dns":{}}' "$v" ;;
                  esac
                fi
                exit 0
                """.formatted(logDir));
        return new Recorder(logDir);
    }

    /** One call a recording plugin saw. */
    public record RecordedCall(int seq, String command, String ifname, Map<String, String> env, JsonNode stdin) {}

    /** Reads back what a {@link #recording} plugin saw, in call order. */
    public static final class Recorder {
        private final Path logDir;

        Recorder(Path logDir) {
            this.logDir = logDir;
        }

        public List<RecordedCall> calls() {
            Path calls = logDir.resolve("calls");
            if (!Files.exists(calls)) {
                return List.of();
            }
            try {
                var result = new ArrayList<RecordedCall>();
                for (String line : Files.readAllLines(calls)) {
                    String[] parts = line.split(" ", 3);
                    int seq = Integer.parseInt(parts[0]);
                    String stdin = Files.readString(logDir.resolve(seq + ".json"));
                    result.add(new RecordedCall(seq, parts[1], parts[2], env(logDir.resolve(seq + ".env")),
                            Json.tryParse(stdin).orElse(Json.MAPPER.getNodeFactory().textNode(stdin))));
                }
                return result;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public List<RecordedCall> calls(String command) {
            return calls().stream().filter(c -> c.command().equals(command)).toList();
        }

        private static Map<String, String> env(Path file) throws IOException {
            var env = new LinkedHashMap<String, String>();
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    env.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return env;
        }
    }
}
