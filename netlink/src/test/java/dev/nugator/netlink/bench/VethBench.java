package dev.nugator.netlink.bench;

import dev.nugator.netlink.LinkInfo;
import dev.nugator.netlink.NetNamespace;
import dev.nugator.netlink.RtNetlink;
import dev.nugator.netlink.VethSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * N veth pairs between two namespaces, each end with an address and up: once through RtNetlink,
 * once through {@code ip -batch}, in the same run, printed side by side. Needs root; makes its own
 * namespaces (ntlbench*) and always removes them. Not a test: run it by hand or from make bench.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp ... dev.nugator.netlink.bench.VethBench [pairs] [warmup]</pre>
 */
public final class VethBench {
    private VethBench() {}

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 1500;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        if (warmup > 0) {
            withNamespaces("ntlbenchwa", "ntlbenchwb", (a, b) -> ours(a, b, warmup));
            settle();
        }
        long oursNanos = withNamespaces("ntlbencha", "ntlbenchb", (a, b) -> ours(a, b, pairs));
        settle();
        long ipNanos = withNamespaces("ntlbenchc", "ntlbenchd", (a, b) -> iproute2(a, b, pairs));
        System.out.printf("%d veth pairs, addressed and up (warm-up: %d pairs)%n", pairs, warmup);
        System.out.printf("  RtNetlink   %8.0f ms  %6.1f us/pair%n", oursNanos / 1e6, oursNanos / 1e3 / pairs);
        System.out.printf("  ip -batch   %8.0f ms  %6.1f us/pair%n", ipNanos / 1e6, ipNanos / 1e3 / pairs);
        System.out.printf("  ratio       %8.2f (RtNetlink / ip -batch)%n", (double) oursNanos / ipNanos);
    }

    /**
     * The kernel tears a deleted namespace's links down in the background (cleanup_net), taking
     * rtnl_lock and a core; without a pause that work lands in the next run's figure.
     */
    private static void settle() throws InterruptedException {
        Thread.sleep(Long.getLong("bench.settleMillis", 5_000));
    }

    @FunctionalInterface
    private interface Run {
        long nanos(String a, String b) throws Exception;
    }

    private static long withNamespaces(String a, String b, Run run) throws Exception {
        ip("netns", "add", a);
        try {
            ip("netns", "add", b);
            try {
                return run.nanos(a, b);
            } finally {
                ip("netns", "del", b);
            }
        } finally {
            ip("netns", "del", a);
        }
    }

    private static long ours(String a, String b, int pairs) throws Exception {
        try (NetNamespace nsA = NetNamespace.named(a); NetNamespace nsB = NetNamespace.named(b);
             RtNetlink inA = RtNetlink.openIn(nsA); RtNetlink inB = RtNetlink.openIn(nsB)) {
            long start = System.nanoTime();
            for (int i = 0; i < pairs; i++) {
                inA.createVeth(VethSpec.of("ntla" + i, "ntlb" + i).peerIn(nsB));
                inA.addAddress("ntla" + i, address(i, 0), 31);
                inA.setUp("ntla" + i);
                inB.addAddress("ntlb" + i, address(i, 1), 31);
                inB.setUp("ntlb" + i);
            }
            long nanos = System.nanoTime() - start;
            requireCarrier(inB.links(), pairs);
            return nanos;
        }
    }

    private static long iproute2(String a, String b, int pairs) throws Exception {
        List<String> sideA = new ArrayList<>();
        List<String> sideB = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            sideA.add("link add ntla" + i + " type veth peer name ntlb" + i + " netns " + b);
            sideA.add("addr add " + address(i, 0).getHostAddress() + "/31 dev ntla" + i);
            sideA.add("link set ntla" + i + " up");
            sideB.add("addr add " + address(i, 1).getHostAddress() + "/31 dev ntlb" + i);
            sideB.add("link set ntlb" + i + " up");
        }
        Path fileA = Files.createTempFile("ntlbench", ".ip");
        Path fileB = Files.createTempFile("ntlbench", ".ip");
        try {
            Files.write(fileA, sideA);
            Files.write(fileB, sideB);
            long start = System.nanoTime();
            ip("-n", a, "-batch", fileA.toString());
            ip("-n", b, "-batch", fileB.toString());
            long nanos = System.nanoTime() - start;
            try (NetNamespace nsB = NetNamespace.named(b); RtNetlink inB = RtNetlink.openIn(nsB)) {
                requireCarrier(inB.links(), pairs);
            }
            return nanos;
        } finally {
            Files.delete(fileA);
            Files.delete(fileB);
        }
    }

    /** Pair i gets 10.0.0.0/8 addresses 2i and 2i+1, a /31 each side. */
    private static InetAddress address(int pair, int side) throws IOException {
        int value = (10 << 24) + 2 * pair + side;
        return InetAddress.getByAddress(new byte[] {
                (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    private static void requireCarrier(List<LinkInfo> links, int pairs) {
        long up = links.stream().filter(link -> link.name().startsWith("ntlb") && link.carrier()).count();
        if (up != pairs) {
            throw new IllegalStateException("only " + up + " of " + pairs + " pairs have carrier");
        }
    }

    private static void ip(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }
}
