package dev.nugator.shim;

import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Run in a child JVM by ShimSecurityTest: opens a UNIX socket as the shim does, then asks for the JDK's SecureRandom. */
public final class UnixSocketProbe {
    private UnixSocketProbe() {}

    public static void main(String[] args) throws Exception {
        try (var channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            System.out.println("opened " + channel.isOpen());
        }
        var random = SecureRandom.getInstance("NativePRNGNonBlocking");
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        System.out.println("provider " + random.getProvider().getName());
        System.out.println("bytes " + HexFormat.of().formatHex(bytes));
    }
}
