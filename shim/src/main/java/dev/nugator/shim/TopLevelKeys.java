package dev.nugator.shim;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the string values of the top-level keys of a JSON object without a JSON library: the shim
 * needs only "socket" (where to connect) and "cniVersion" (to shape its own errors). Anything it
 * cannot read is simply absent; nugatord does the real parsing and reports real errors.
 */
final class TopLevelKeys {
    private final Map<String, String> values;

    private TopLevelKeys(Map<String, String> values) {
        this.values = values;
    }

    Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    static TopLevelKeys of(byte[] json) {
        var values = new HashMap<String, String>();
        try {
            scan(new String(json, StandardCharsets.UTF_8), values);
        } catch (RuntimeException malformed) {
            // keep what was found; nugatord reports the malformed config
        }
        return new TopLevelKeys(values);
    }

    private static void scan(String text, Map<String, String> values) {
        int depth = 0;
        String pendingKey = null;
        boolean expectKey = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '{', '[' -> {
                    depth++;
                    expectKey = depth == 1 && c == '{';
                    pendingKey = null;
                }
                case '}', ']' -> depth--;
                case ',' -> expectKey = depth == 1;
                case '"' -> {
                    int end = endOfString(text, i);
                    if (end < 0) {
                        return;
                    }
                    if (depth == 1) {
                        String s = unescape(text.substring(i + 1, end));
                        if (expectKey) {
                            pendingKey = s;
                            expectKey = false;
                        } else if (pendingKey != null) {
                            values.putIfAbsent(pendingKey, s);
                            pendingKey = null;
                        }
                    }
                    i = end;
                }
                default -> { }
            }
        }
    }

    private static int endOfString(String text, int open) {
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        var out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                switch (n) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        if (i + 4 < s.length()) {
                            out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                            i += 4;
                        }
                    }
                    default -> out.append(n);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
