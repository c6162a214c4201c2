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

    /** Why an interface name is invalid, or null when it is valid (the kernel's and the spec's rule). */
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
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                return "contains '" + (Character.isWhitespace(c) ? "whitespace" : String.valueOf(c)) + "'";
            }
        }
        return null;
    }
}
