package dev.nugator.netlink;

import java.nio.charset.StandardCharsets;

/**
 * The kernel's rule for interface names (dev_valid_name), checked before any request so that a bad
 * name fails with the field it came from instead of a bare EINVAL from the kernel.
 */
public final class InterfaceNames {
    /** IFNAMSIZ minus the terminating NUL. */
    public static final int MAX_BYTES = 15;

    private InterfaceNames() {}

    /**
     * Returns {@code name} if the kernel would accept it: 1 to 15 bytes of UTF-8, not "." or "..",
     * no '/', ':', NUL or whitespace. Otherwise throws IllegalArgumentException naming {@code field}.
     */
    public static String requireValid(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw invalid(field, name, "must not be empty");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw invalid(field, name, "is " + bytes + " bytes long, at most " + MAX_BYTES + " allowed");
        }
        if (name.equals(".") || name.equals("..")) {
            throw invalid(field, name, "must not be . or ..");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || c == 0 || Character.isWhitespace(c)) {
                throw invalid(field, name, "must not contain '/', ':', NUL or whitespace");
            }
        }
        return name;
    }

    private static IllegalArgumentException invalid(String field, String name, String why) {
        return new IllegalArgumentException(field + ": interface name '" + name + "' " + why);
    }
}
