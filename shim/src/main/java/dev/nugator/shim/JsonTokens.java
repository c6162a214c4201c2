package dev.nugator.shim;

/**
 * The small tokens of {@link JsonScanner}, each read at the scanner's position and checked as
 * Jackson checks it: numbers (no leading zeros, no bare '.', no '+'), escapes, UTF-8 sequences.
 */
final class JsonTokens {
    private JsonTokens() {}

    /** A number: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    static void number(JsonScanner s) throws JsonScanner.Malformed {
        if (at(s, '-')) {
            s.advance(1);
        }
        if (at(s, '0')) {
            s.advance(1);
            if (digit(s)) {
                throw s.unexpected("no digit after a leading 0 (leading zeros are not JSON)");
            }
        } else {
            digits(s, "a value");
        }
        if (at(s, '.')) {
            s.advance(1);
            digits(s, "a digit after the decimal point");
        }
        if (at(s, 'e') || at(s, 'E')) {
            s.advance(1);
            if (at(s, '+') || at(s, '-')) {
                s.advance(1);
            }
            digits(s, "a digit in the exponent");
        }
    }

    private static void digits(JsonScanner s, String expected) throws JsonScanner.Malformed {
        if (!digit(s)) {
            throw s.unexpected(expected);
        }
        while (digit(s)) {
            s.advance(1);
        }
    }

    private static boolean digit(JsonScanner s) {
        return s.pos() < s.bytes().length && s.bytes()[s.pos()] >= '0' && s.bytes()[s.pos()] <= '9';
    }

    private static boolean at(JsonScanner s, char c) {
        return s.pos() < s.bytes().length && s.bytes()[s.pos()] == c;
    }

    /** The escape at the scanner's backslash, as the one character it stands for. */
    static char escape(JsonScanner s) throws JsonScanner.Malformed {
        s.advance(1);
        byte c = s.peek("an escaped character");
        s.advance(1);
        return switch (c) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '/' -> '/';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> unicode(s);
            default -> {
                s.advance(-1);
                throw s.unexpected("an escape: \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u and 4 hex digits");
            }
        };
    }

    private static char unicode(JsonScanner s) throws JsonScanner.Malformed {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(s.peek("4 hex digits after \\u"), 16);
            if (digit < 0) {
                throw s.unexpected("4 hex digits after \\u");
            }
            value = value << 4 | digit;
            s.advance(1);
        }
        return (char) value;
    }

    /**
     * The length of the UTF-8 sequence that starts here, checked by its structure only (a lead byte
     * and its continuation bytes), as Jackson checks it: stricter would refuse what nugatord takes.
     */
    static int utf8(JsonScanner s) throws JsonScanner.Malformed {
        int lead = s.bytes()[s.pos()] & 0xFF;
        int length = lead < 0x80 ? 1 : (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : (lead & 0xF8) == 0xF0 ? 4 : 0;
        if (length == 0) {
            throw s.unexpected("UTF-8 text (that byte cannot start a character)");
        }
        for (int i = 1; i < length; i++) {
            int at = s.pos() + i;
            if (at >= s.bytes().length || (s.bytes()[at] & 0xC0) != 0x80) {
                s.advance(Math.min(i, s.bytes().length - s.pos()));
                throw s.unexpected("UTF-8 text (a character's continuation byte)");
            }
        }
        return length;
    }
}
