package dev.nugator.shim;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CNI executable. It holds no CNI logic: it forwards the runtime's environment and stdin to
 * nugatord, prints nugatord's reply on stdout and exits with its code. Only an unreachable or
 * silent nugatord is answered here, because then nobody else can.
 */
public final class Main {
    static final Path DEFAULT_SOCKET = Path.of("/run/nugator/nugator.sock");
    /** A dead daemon must be reported quickly: runtimes retry, and users read the message. */
    static final long CONNECT_DEADLINE_MILLIS = 1500;
    /** Longer than nugatord's own longest command deadline, so its error wins over ours. */
    static final long REPLY_DEADLINE_MILLIS = 180_000;

    private Main() {}

    public static void main(String[] args) throws IOException {
        PrintStream stdout = System.out;
        // Nothing but the one CNI result may reach stdout, whatever else the JVM or a library prints.
        System.setOut(System.err);
        String command = System.getenv("CNI_COMMAND");
        if ("VERSION".equals(command)) {
            stdout.write(VersionAnswer.json());
            stdout.flush();
            return;
        }
        byte[] stdin = System.in.readAllBytes();
        var config = TopLevelKeys.of(stdin);
        Path socket = config.get("socket").map(Path::of).orElse(DEFAULT_SOCKET);
        var answer = new Answer(stdout, config.get("cniVersion").orElse("1.1.0"));
        var exchange = new DaemonExchange(socket, CONNECT_DEADLINE_MILLIS, REPLY_DEADLINE_MILLIS, answer);
        exchange.run(cniEnvironment(), stdin, "STATUS".equals(command));
    }

    private static Map<String, String> cniEnvironment() {
        var env = new LinkedHashMap<String, String>();
        for (var entry : System.getenv().entrySet()) {
            if (entry.getKey().startsWith("CNI_")) {
                env.put(entry.getKey(), entry.getValue());
            }
        }
        return env;
    }
}
