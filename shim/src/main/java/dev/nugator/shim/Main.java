package dev.nugator.shim;

import dev.nugator.wire.Frame;
import dev.nugator.wire.ShimRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CNI executable. It holds no CNI logic: it forwards the runtime's environment and stdin to
 * nugatord, prints nugatord's reply on stdout and exits with its code. Only what nobody else can
 * answer is answered here: an unreachable or silent nugatord, and a stdin that cannot be sent
 * (too large for a frame) or that cannot even tell where to send it (not JSON).
 */
public final class Main {
    static final Path DEFAULT_SOCKET = Path.of("/run/nugator/nugator.sock");
    /** A dead daemon must be reported quickly: runtimes retry, and users read the message. */
    static final long CONNECT_DEADLINE_MILLIS = 1500;
    /** Longer than nugatord's own longest command deadline, so its error wins over ours. */
    static final long REPLY_DEADLINE_MILLIS = 180_000;
    /** CNI error codes the shim gives for its stdin (CNI spec: 6 failed to decode, 7 invalid network config). */
    static final int DECODING_FAILURE = 6;
    static final int INVALID_CONFIG = 7;

    private Main() {}

    public static void main(String[] args) throws IOException {
        PrintStream stdout = System.out;
        // Nothing but the one CNI result may reach stdout, whatever else the JVM or a library prints.
        System.setOut(System.err);
        String command = System.getenv("CNI_COMMAND");
        if ("VERSION".equals(command)) {
            VersionAnswer.give(new Answer(stdout, VersionAnswer.LATEST), System.in);
            return;
        }
        var env = cniEnvironment();
        int room = ShimRequest.stdinRoom(env);
        // Bounded: one byte past the room tells a config too large without reading all of it.
        byte[] stdin = System.in.readNBytes(room + 1);
        var config = TopLevelKeys.of(stdin);
        var answer = new Answer(stdout, config.get("cniVersion").orElse(VersionAnswer.LATEST));
        if (stdin.length > room) {
            answer.error(INVALID_CONFIG, "the network config on stdin is too large: nugator takes at most " + Frame.MAX_BODY
                    + " bytes (4 MiB) for it and the CNI_* variables together, so at most " + room + " bytes of config here",
                    "the shim refused it without sending it to nugatord");
            return;
        }
        if (config.problem().isPresent()) {
            answer.error(DECODING_FAILURE, "cannot decode the network config on stdin: " + config.problem().get(), "");
            return;
        }
        Path socket = config.get("socket").map(Path::of).orElse(DEFAULT_SOCKET);
        var exchange = new DaemonExchange(socket, CONNECT_DEADLINE_MILLIS, REPLY_DEADLINE_MILLIS, answer);
        exchange.run(env, stdin, "STATUS".equals(command));
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
