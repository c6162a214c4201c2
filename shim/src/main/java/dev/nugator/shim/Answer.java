package dev.nugator.shim;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The shim's single answer to the runtime. Whoever answers first (the reply or the watchdog) wins;
 * the process ends right after, so stdout never carries two results. (A lock, not an atomic: an
 * atomic's first use builds the JDK's VarHandle machinery, a few hundred microseconds of a call.)
 */
final class Answer {
    private final PrintStream stdout;
    private final String cniVersion;
    private boolean given;

    Answer(PrintStream stdout, String cniVersion) {
        this.stdout = stdout;
        this.cniVersion = cniVersion;
    }

    synchronized void reply(int exitCode, byte[] body) {
        if (!given) {
            given = true;
            stdout.write(body, 0, body.length);
            stdout.flush();
            Runtime.getRuntime().halt(exitCode);
        }
    }

    void error(int code, String msg, String details) {
        String json = "{\"cniVersion\":\"" + escape(cniVersion) + "\",\"code\":" + code
                + ",\"msg\":\"" + escape(msg) + "\",\"details\":\"" + escape(details) + "\"}\n";
        reply(1, json.getBytes(StandardCharsets.UTF_8));
    }

    static String escape(String s) {
        var out = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        String hex = Integer.toHexString(c);
                        out.append("\\u").append("0000", hex.length(), 4).append(hex);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
