package dev.nugator.netlink;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a network namespace is bound, as a runtime names it (CNI_NETNS, e.g.
 * {@code /run/netns/cni-1234} or {@code /proc/4711/ns/net}). Checked once, when it is made: an
 * absolute, normal path (no empty, {@code .} or {@code ..} parts) of printable characters, at most
 * {@link #MAX_BYTES} bytes. Whether a namespace is really there is only known when it is opened.
 */
public record NetnsPath(Path path) {
    /** PATH_MAX less the terminating NUL. */
    public static final int MAX_BYTES = 4095;

    public NetnsPath {
        String problem = problem(path.toString());
        if (problem != null) {
            throw new IllegalArgumentException("network namespace path '" + printable(path.toString()) + "' " + problem);
        }
    }

    /** Parses {@code text}; a bad path is an IllegalArgumentException naming {@code field}. */
    public static NetnsPath parse(String field, String text) {
        String problem = text == null ? "is missing" : problem(text);
        if (problem != null) {
            throw new IllegalArgumentException(field + " '" + printable(text) + "' " + problem);
        }
        return new NetnsPath(Path.of(text));
    }

    /** Opens the namespace; see {@link NetNamespace#open(Path)} for what fails how. */
    public NetNamespace open() {
        return NetNamespace.open(path);
    }

    /** Whether something is bound there now (a namespace that went leaves nothing, or an empty file). */
    public boolean exists() {
        return Files.exists(path);
    }

    @Override
    public String toString() {
        return path.toString();
    }

    private static String problem(String text) {
        if (text.isEmpty()) {
            return "is empty";
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "is longer than " + MAX_BYTES + " bytes";
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "holds a control character";
            }
        }
        if (!text.startsWith("/")) {
            return "is not absolute";
        }
        for (String part : text.substring(1).split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return "is not a normal path (empty, '.' or '..' parts)";
            }
        }
        return null;
    }

    /** For messages: control characters shown escaped, so a hostile value cannot forge log lines. */
    private static String printable(String text) {
        if (text == null) {
            return "";
        }
        var out = new StringBuilder();
        text.codePoints().limit(256).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
