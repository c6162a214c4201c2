package dev.nugator.shim;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads JSON bytes once, strictly, without a JSON library: it says whether they are one JSON
 * object and keeps the string values of its top-level members. It reads JSON as nugatord's parser
 * (Jackson, with trailing tokens refused) reads it, so that a config the daemon would refuse as not
 * JSON is refused by the shim alone, whoever would have answered, and no config the daemon takes is
 * refused here. An iterative scanner: a deeply nested config must not overflow the stack.
 * Jackson's limits on the length of numbers (1000 digits) and names (50,000 characters) are left to
 * nugatord: no config comes near them, and a shim stricter than the daemon would be wrong.
 */
final class JsonScanner {
    /** Jackson's default nesting limit: nugatord refuses deeper documents as not JSON too. */
    static final int MAX_DEPTH = 1000;
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final byte[] in;
    private final Map<String, String> topLevel;
    private final boolean[] isObject = new boolean[MAX_DEPTH + 1];
    private int pos;
    private int depth;
    private String member;

    private JsonScanner(byte[] in, Map<String, String> topLevel) {
        this.in = in;
        this.topLevel = topLevel;
    }

    /** The input's syntax error, null when it is one JSON object; its top-level string members go to {@code topLevel}. */
    static String scan(byte[] json, Map<String, String> topLevel) {
        try {
            new JsonScanner(json, topLevel).document();
            return null;
        } catch (Malformed e) {
            return e.getMessage();
        }
    }

    /** Why the bytes are not JSON; carries no stack trace, as it is an answer, not a failure. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private void document() throws Malformed {
        if (startsWith(BOM)) {
            pos = BOM.length;
        }
        skipSpace();
        if (pos == in.length) {
            throw new Malformed("it is empty; expected a JSON object");
        }
        boolean object = in[pos] == '{';
        value();
        skipSpace();
        if (pos < in.length) {
            throw unexpected("the end after the top-level value");
        }
        if (!object) {
            throw new Malformed("it is JSON but not an object");
        }
    }

    /** One value, containers included, walked with an explicit stack. */
    private void value() throws Malformed {
        do {
            skipSpace();
            if (!open()) {
                scalar();
                close();
            }
        } while (depth > 0);
    }

    /** Opens the container that starts here, if one does (and closes it at once when it is empty); true when it did. */
    private boolean open() throws Malformed {
        byte c = peek("a value");
        if (c != '{' && c != '[') {
            return false;
        }
        forgetMember();
        if (depth == MAX_DEPTH) {
            throw new Malformed("it is nested deeper than " + MAX_DEPTH + " levels, at " + where(pos));
        }
        pos++;
        isObject[++depth] = c == '{';
        skipSpace();
        if (peek(c == '{' ? "a member name or '}'" : "a value or ']'") == (c == '{' ? '}' : ']')) {
            pos++;
            depth--;
            close();
        } else if (c == '{') {
            memberName();
        }
        return true;
    }

    /** After a value: the containers that end here, then the comma that leads to the next value (or the end). */
    private void close() throws Malformed {
        while (depth > 0) {
            skipSpace();
            byte end = isObject[depth] ? (byte) '}' : (byte) ']';
            String expected = isObject[depth] ? "',' or '}'" : "',' or ']'";
            byte c = peek(expected);
            pos++;
            if (c == ',') {
                if (isObject[depth]) {
                    skipSpace();
                    memberName();
                }
                return;
            }
            if (c != end) {
                pos--;
                throw unexpected(expected);
            }
            depth--;
        }
    }

    private void memberName() throws Malformed {
        if (peek("a member name") != '"') {
            throw unexpected("a member name in double quotes");
        }
        String name = string(depth == 1);
        skipSpace();
        if (peek("':'") != ':') {
            throw unexpected("':' after the member name");
        }
        pos++;
        if (depth == 1) {
            member = name;
        }
    }

    private void scalar() throws Malformed {
        byte c = peek("a value");
        if (c == '"') {
            String value = string(depth == 1 && isObject[1]);
            if (depth == 1 && isObject[1]) {
                topLevel.put(member, value);
            }
            return;
        }
        forgetMember();
        switch (c) {
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> JsonTokens.number(this);
        }
    }

    /** A top-level member whose value is not a string has none, even when an earlier one of the same name had. */
    private void forgetMember() {
        if (depth == 1 && isObject[1]) {
            topLevel.remove(member);
        }
    }

    private void literal(String word) throws Malformed {
        for (int i = 0; i < word.length(); i++) {
            if (pos == in.length || in[pos] != word.charAt(i)) {
                throw unexpected("the literal " + word);
            }
            pos++;
        }
    }

    /** The string that starts here, decoded when {@code keep}; its UTF-8 checked as Jackson checks it. */
    private String string(boolean keep) throws Malformed {
        int start = ++pos;
        var out = keep ? new StringBuilder() : null;
        int run = pos;
        while (true) {
            if (pos >= in.length) {
                throw new Malformed("it ends early, at " + where(pos) + ", inside the string that starts at " + where(start - 1));
            }
            byte c = in[pos];
            if (c == '"' || c == '\\') {
                if (keep) {
                    out.append(new String(in, run, pos - run, StandardCharsets.UTF_8));
                }
                if (c == '"') {
                    pos++;
                    return keep ? out.toString() : null;
                }
                char escaped = JsonTokens.escape(this);
                if (keep) {
                    out.append(escaped);
                }
                run = pos;
            } else if ((c & 0xFF) < 0x20) {
                throw unexpected("a character: control characters in strings must be escaped");
            } else {
                pos += JsonTokens.utf8(this);
            }
        }
    }

    byte[] bytes() {
        return in;
    }

    int pos() {
        return pos;
    }

    void advance(int n) {
        pos += n;
    }

    /** The byte here; the input ending here is the error, {@code expected} saying what should have come. */
    byte peek(String expected) throws Malformed {
        if (pos >= in.length) {
            throw new Malformed("it ends early, at " + where(pos) + "; expected " + expected);
        }
        return in[pos];
    }

    Malformed unexpected(String expected) {
        if (pos >= in.length) {
            return new Malformed("it ends early, at " + where(pos) + "; expected " + expected);
        }
        return new Malformed("unexpected " + describe(in[pos]) + " at " + where(pos) + "; expected " + expected);
    }

    private void skipSpace() {
        while (pos < in.length && (in[pos] == ' ' || in[pos] == '\n' || in[pos] == '\r' || in[pos] == '\t')) {
            pos++;
        }
    }

    private boolean startsWith(byte[] prefix) {
        if (in.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (in[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String describe(byte b) {
        int c = b & 0xFF;
        return c > 0x20 && c < 0x7F ? "'" + (char) c + "'" : "byte 0x%02x".formatted(c);
    }

    /** "line L, column C" (1-based, columns in bytes), counted only when an error is reported. */
    String where(int at) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at && i < in.length; i++) {
            if (in[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return "line " + line + ", column " + (at - lineStart + 1);
    }
}
