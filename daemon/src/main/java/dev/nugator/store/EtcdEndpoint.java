package dev.nugator.store;

import java.net.InetAddress;
import java.util.regex.Pattern;

/** One etcd member as given to {@code --store etcd://...}: a host name or IP literal and a port. */
public record EtcdEndpoint(String host, int port) {
    private static final Pattern HOST_NAME =
            Pattern.compile("(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    /** Parses {@code HOST:PORT} or {@code [IPV6]:PORT}; the message of a failure says what is wrong with it. */
    static EtcdEndpoint parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("endpoint '" + text + "' has no port");
        }
        return new EtcdEndpoint(host(text.substring(0, colon), text), port(text.substring(colon + 1), text));
    }

    /** The address as etcd clients take it, IPv6 literals in brackets. */
    public String authority() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }

    private static String host(String host, String endpoint) {
        if (host.startsWith("[") && host.endsWith("]")) {
            return literal(host.substring(1, host.length() - 1), endpoint);
        }
        if (DIGITS_AND_DOTS.matcher(host).matches()) {
            return literal(host, endpoint);
        }
        if (!HOST_NAME.matcher(host).matches()) {
            throw new IllegalArgumentException("endpoint '" + endpoint + "' has no valid host"
                    + (host.contains(":") ? " (write an IPv6 address in brackets: [::1]:2379)" : ""));
        }
        return host;
    }

    private static String literal(String address, String endpoint) {
        try {
            return InetAddress.ofLiteral(address).getHostAddress();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("endpoint '" + endpoint + "' has an invalid IP address " + address, e);
        }
    }

    private static int port(String port, String endpoint) {
        int value = PORT.matcher(port).matches() ? Integer.parseInt(port) : 0;
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException("endpoint '" + endpoint + "' needs a port between 1 and 65535, got '" + port + "'");
        }
        return value;
    }
}
