package dev.nugator.testkit.cri;

import dev.nugator.testkit.Nugatorctl;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code make bench}'s CRI part (scripts/bench-cri.sh runs it): what nugator adds to a pod's start
 * on the kubelet's path. A containerd of the kit's ({@link Containerd}) in the bench's node
 * namespace, whose default runtime handler has the pod network with nugator chained after it and
 * whose handler {@value CriLab#PRIMARY_ONLY} has the pod network alone; the bench's nugatord holds 4
 * links from pod {@code bench-c} to 4 peers that run for the whole part. Each round times
 * {@code RunPodSandbox} of a new pod object (new uid, new netns), then stops and removes it, for:
 * bench-c with its 4 links; a pod no link names (nugator chained, nothing to make); and a pod on the
 * primary-only handler. Round 0 warms up and is not recorded. It measures and writes samples
 * (microseconds, one a line) to {@code OUT/samples/cri-links4}, {@code cri-nolinks},
 * {@code cri-primary}; it asserts nothing.
 *
 * <pre>
 * java -cp ... dev.nugator.testkit.cri.CriBench NETNS_PATH NUGATORD_SOCKET ROUNDS OUT
 * </pre>
 */
public final class CriBench {
    private static final int LINKS = 4;

    private final Containerd containerd;
    private final Path samples;

    private CriBench(Containerd containerd, Path samples) {
        this.containerd = containerd;
        this.samples = samples;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: CriBench NETNS_PATH NUGATORD_SOCKET ROUNDS OUT_DIR");
            System.exit(2);
        }
        Path netns = Path.of(args[0]);
        Path socket = Path.of(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Path out = Path.of(args[3]);
        Path leases = Files.createDirectories(out.resolve("leases"));
        var containerd = Containerd.in(netns)
                .network(CriNetwork.chained(CriLab.NETWORK, CriLab.POD_CIDR, leases, socket))
                .handler(CriLab.PRIMARY_ONLY, CriNetwork.primaryOnly(CriLab.NETWORK, CriLab.POD_CIDR, leases))
                .start();
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(main, containerd)));
        try (containerd) {
            Files.writeString(out.resolve("cgroup-root"), containerd.cgroupRoot());
            Files.writeString(out.resolve("startup"), containerd.startup().toString());
            var bench = new CriBench(containerd, Files.createDirectories(out.resolve("samples")));
            try {
                bench.announce(socket);
                bench.run(rounds);
            } catch (StatusRuntimeException e) {
                if (!Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                System.err.println("\nbench: the CRI part was stopped; removing its sandboxes and containerd");
            } finally {
                Thread.interrupted();   // a SIGTERM's interrupt ends the rounds, not the clean-up that follows
            }
        }
    }

    /**
     * SIGTERM (bench.sh's clean-up): the CRI call in flight is cancelled (an interrupt does that to
     * a blocking gRPC call), the main thread closes containerd on its way out; closing again here
     * covers a main thread that does not end in time.
     */
    private static void stop(Thread main, Containerd containerd) {
        main.interrupt();
        try {
            main.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        containerd.close();
    }

    private void announce(Path socket) throws IOException {
        var yaml = new StringBuilder("name: ntbench-cri\nlinks:\n");
        for (int k = 1; k <= LINKS; k++) {
            yaml.append("  - a: {pod: bench-c, ifname: e%d, ipv4: 10.201.%d.0/31}\n".formatted(k, k));
            yaml.append("    b: {pod: bench-p%d, ifname: e0, ipv4: 10.201.%d.1/31}\n".formatted(k, k));
        }
        Nugatorctl.at(socket).applyTopology(yaml.toString()).requireSuccess();
    }

    private void run(int rounds) {
        var peers = new ArrayList<String>();
        for (int k = 1; k <= LINKS; k++) {
            peers.add(containerd.cri().runPodSandbox(containerd.pod("default", "bench-p" + k)));
        }
        System.err.printf("bench: RunPodSandbox of a pod with %d links / no links / primary network only, %d rounds (+1 warm-up) ",
                LINKS, rounds);
        for (int r = 0; r <= rounds; r++) {
            long links = timeRun(containerd.pod("default", "bench-c"), r == 0);
            long none = timeRun(containerd.pod("default", "bench-z"), false);
            long primary = timeRun(containerd.pod("default", "bench-c").withRuntimeHandler(CriLab.PRIMARY_ONLY), false);
            if (r > 0) {
                record(Map.of("cri-links4", links, "cri-nolinks", none, "cri-primary", primary));
            }
            System.err.print('.');
        }
        System.err.println();
        for (String id : peers) {
            containerd.cri().stopPodSandbox(id);
            containerd.cri().removePodSandbox(id);
        }
    }

    /** RunPodSandbox's time in microseconds; then the sandbox is stopped and removed (not timed). */
    private long timeRun(PodSandboxSpec pod, boolean checkLinks) {
        long t0 = System.nanoTime();
        String id = containerd.cri().runPodSandbox(pod);
        long t1 = System.nanoTime();
        if (checkLinks) {
            var names = containerd.cri().podSandboxStatus(id).requireNetns().names();
            if (!names.containsAll(List.of("e1", "e2", "e3", "e4"))) {
                throw new IllegalStateException("bench-c's sandbox has " + names + ", not its 4 link interfaces");
            }
        }
        containerd.cri().stopPodSandbox(id);
        containerd.cri().removePodSandbox(id);
        return (t1 - t0) / 1000;
    }

    private void record(Map<String, Long> micros) {
        micros.forEach((name, value) -> {
            try {
                Files.writeString(samples.resolve(name), value + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
