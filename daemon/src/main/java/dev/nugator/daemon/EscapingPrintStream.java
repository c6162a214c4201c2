package dev.nugator.daemon;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The log's output: every line printed here is written with its control characters escaped
 * ({@code \n} as the two characters {@code \\n}, others as {@code \\u001b}), so that a value a
 * caller chose (a CNI_CONTAINERID or CNI_NETNS with a newline) cannot forge log lines or drive the
 * terminal. slf4j-simple prints each record with one {@code println} and a throwable with one
 * {@code println} per stack line, so escaping inside each line keeps the log's own line ends.
 * Tabs are kept: they forge nothing, and stack lines start with one.
 */
final class EscapingPrintStream extends PrintStream {
    EscapingPrintStream(OutputStream out) {
        super(out, true, StandardCharsets.UTF_8);
    }

    @Override
    public void print(String s) {
        super.print(escape(String.valueOf(s)));
    }

    @Override
    public void print(Object o) {
        print(String.valueOf(o));
    }

    @Override
    public void print(char[] s) {
        print(new String(s));
    }

    @Override
    public void print(char c) {
        print(String.valueOf(c));
    }

    @Override
    public void println(String s) {
        synchronized (this) {
            print(s);
            println();
        }
    }

    @Override
    public void println(Object o) {
        println(String.valueOf(o));
    }

    @Override
    public void println(char[] s) {
        println(new String(s));
    }

    /** {@code text} with every control, format and line-separator character written as an escape. */
    static String escape(String text) {
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!needsEscape(c)) {
                if (escaped != null) {
                    escaped.append(c);
                }
                continue;
            }
            if (escaped == null) {
                escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            escaped.append(switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> String.format("\\u%04x", (int) c);
            });
        }
        return escaped == null ? text : escaped.toString();
    }

    private static boolean needsEscape(char c) {
        if (c == '\t') {
            return false;
        }
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
