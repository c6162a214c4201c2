package dev.nugator.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Raw Ethernet frames between two interfaces in two namespaces, as a user checks a link with
 * tcpdump: one frame sent with an AF_PACKET socket on one side, caught on the other (VLAN tags put
 * back where the kernel moved them into metadata). Uses Debian's python3 and the kit's
 * {@code frames.py}; nothing is installed in the namespaces.
 *
 * <pre>{@code
 * byte[] lldp = Frames.lldp("02:00:00:00:00:01");
 * assertThat(Frames.cross(a.netns(), "e1", b.netns(), "e1", lldp)).contains(lldp);
 * }</pre>
 */
public final class Frames {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final HexFormat HEX = HexFormat.of();
    private static volatile Path script;

    private Frames() {}

    /**
     * Sends {@code frame} out of {@code fromIf} in {@code from} and returns the first frame that
     * reaches {@code toIf} in {@code to} starting with the same 14 bytes (destination, source,
     * type), or empty when none comes within 5 s.
     */
    public static Optional<byte[]> cross(Netns from, String fromIf, Netns to, String toIf, byte[] frame) {
        String prefix = HEX.formatHex(frame, 0, 14);
        var receiver = start(List.of("ip", "netns", "exec", to.name(), "python3", script().toString(), "recv", toIf,
                Long.toString(WAIT.toSeconds()), prefix));
        try (var out = new BufferedReader(new InputStreamReader(receiver.getInputStream(), StandardCharsets.US_ASCII))) {
            String ready = out.readLine();
            if (!"ready".equals(ready)) {
                throw new AssertionError("frames.py recv on " + toIf + " in " + to + " did not start: " + ready + " " + errors(receiver));
            }
            Proc.of("ip", "netns", "exec", from.name(), "python3", script().toString(), "send", fromIf, HEX.formatHex(frame)).check();
            String caught = out.readLine();
            if (!receiver.waitFor(WAIT.toSeconds() + 5, TimeUnit.SECONDS)) {
                throw new AssertionError("frames.py recv did not end");
            }
            return receiver.exitValue() == 0 && caught != null ? Optional.of(HEX.parseHex(caught.strip())) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            receiver.destroyForcibly();
        }
    }

    /** An LLDP frame (to the nearest-bridge group 01:80:c2:00:00:0e, ethertype 0x88cc) with chassis, port and TTL TLVs. */
    public static byte[] lldp(String sourceMac) {
        String mac = sourceMac.replace(":", "");
        String tlvs = "0207" + "04" + mac                 // chassis id: MAC address
                + "0404" + "05" + "653100"                 // port id: interface name "e1" (+NUL)
                + "0602" + "0078"                          // TTL 120 s
                + "0000";                                  // end
        return HEX.parseHex("0180c200000e" + mac + "88cc" + tlvs);
    }

    /** An 802.1Q-tagged frame (VLAN {@code vlan}, priority 5) carrying an experimental ethertype and a marker payload. */
    public static byte[] vlanTagged(String destinationMac, String sourceMac, int vlan) {
        String tci = String.format("%04x", (5 << 13) | vlan);
        return HEX.parseHex(destinationMac.replace(":", "") + sourceMac.replace(":", "") + "8100" + tci + "88b5"
                + HEX.formatHex("nugator vlan test frame, padded to the minimum size".getBytes(StandardCharsets.US_ASCII)));
    }

    /** A frame of {@code payload} bytes after its 14-byte header (9000: a jumbo frame), ethertype 0x88b5, patterned. */
    public static byte[] sized(String destinationMac, String sourceMac, int payload) {
        byte[] frame = new byte[14 + payload];
        byte[] header = HEX.parseHex(destinationMac.replace(":", "") + sourceMac.replace(":", "") + "88b5");
        System.arraycopy(header, 0, frame, 0, 14);
        for (int i = 14; i < frame.length; i++) {
            frame[i] = (byte) (i * 31);
        }
        return frame;
    }

    private static Process start(List<String> command) {
        try {
            return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private static String errors(Process process) {
        try {
            process.waitFor(2, TimeUnit.SECONDS);
            return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The kit's frames.py, written once to a temp file removed at exit. */
    private static Path script() {
        if (script == null) {
            synchronized (Frames.class) {
                if (script == null) {
                    try (var in = Frames.class.getResourceAsStream("frames.py")) {
                        if (in == null) {
                            throw new IllegalStateException("frames.py is missing from the test kit's resources");
                        }
                        Path file = Files.createTempFile("ntframes-", ".py");
                        Files.write(file, in.readAllBytes());
                        file.toFile().deleteOnExit();
                        script = file;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return script;
    }
}
