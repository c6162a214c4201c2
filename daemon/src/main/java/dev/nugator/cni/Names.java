package dev.nugator.cni;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** The spec's naming rules, applied to what the runtime sends and to every name nugator creates. */
public final class Names {
    /** Container ids, network names and plugin types share the spec's identifier rule. */
    private static final Pattern IDENTIFIER = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");
    public static final int MAX_IFNAME_BYTES = 15;

    private Names() {}

    public static boolean isIdentifier(String s) {
        return s != null && IDENTIFIER.matcher(s).matches();
    }

    /**
     * Why an interface name is invalid, or null when it is valid: the spec's rule, and printable
     * ASCII only, because the kernel checks bytes with the C locale's isspace() (0xA0, the second
     * byte of a UTF-8 'à', counts as a space there) and tools print names as bytes.
     */
    public static String ifnameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "is empty";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_IFNAME_BYTES) {
            return "is longer than " + MAX_IFNAME_BYTES + " bytes";
        }
        if (name.equals(".") || name.equals("..")) {
            return "may not be '.' or '..'";
        }
        for (int i = 0; i < name.length(); i++) {
            String problem = charProblem(name.charAt(i));
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String charProblem(char c) {
        if (c == '/' || c == ':') {
            return "contains '" + c + "'";
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b) {
            return "contains 'whitespace'";
        }
        if (c < 0x21 || c > 0x7e) {
            return "contains " + String.format("U+%04X", (int) c) + ": only printable ASCII characters are allowed";
        }
        return null;
    }
}
