package dev.nugator.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * One etcd member (Debian's etcd-server) on loopback, for tests: plain http or TLS requiring client
 * certificates. Its data directory survives {@link #stop}, so {@link #start} again brings back the
 * same cluster on the same ports, as a restarted member would. {@link #close} always leaves no process.
 */
public final class EtcdMember implements AutoCloseable {
    static final Path ETCD = Path.of("/usr/bin/etcd");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Path dir;
    private final List<String> tlsFlags;
    private final int clientPort;
    private final int peerPort;
    private Process process;

    private EtcdMember(Path dir, List<String> tlsFlags) throws IOException {
        this.dir = dir;
        this.tlsFlags = tlsFlags;
        this.clientPort = freePort();
        this.peerPort = freePort();
    }

    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(ETCD), ETCD + " is missing (install Debian's etcd-server): skipping the etcd tests");
    }

    /** A member serving plain http, not started yet. */
    public static EtcdMember plain(Path dir) throws IOException {
        return new EtcdMember(dir, List.of());
    }

    /** A member serving TLS with {@code certificates}' server certificate and requiring client certificates signed by their CA. */
    static EtcdMember tls(Path dir, TestCertificates certificates) throws IOException {
        return new EtcdMember(dir, List.of(
                "--cert-file", certificates.serverCert().toString(), "--key-file", certificates.serverKey().toString(),
                "--client-cert-auth", "--trusted-ca-file", certificates.caCert().toString()));
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public EtcdEndpoint endpoint() {
        return new EtcdEndpoint("127.0.0.1", clientPort);
    }

    /** Starts the process and waits until {@code probe} (a store on this member) can read. */
    public void start(KvStore probe) throws IOException, InterruptedException {
        String clientUrl = (tlsFlags.isEmpty() ? "http" : "https") + "://127.0.0.1:" + clientPort;
        String peerUrl = "http://127.0.0.1:" + peerPort;
        var command = new ArrayList<>(List.of(ETCD.toString(),
                "--name", "test",
                "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
                "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", "test=" + peerUrl, "--initial-cluster-state", "new"));
        command.addAll(tlsFlags);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("etcd.log").toFile()))
                .start();
        try {
            awaitServing(probe);
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop();
            throw e;
        }
    }

    private void awaitServing(KvStore probe) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("etcd exited with " + process.exitValue() + ": " + log());
            }
            if (probe.unavailableReason().isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("etcd not serving within " + START_TIMEOUT.toSeconds() + " s: " + log());
            }
            Thread.sleep(100);
        }
    }

    /** SIGTERM, then SIGKILL if it lingers; the data directory stays. */
    void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        process = null;
    }

    String log() throws IOException {
        Path log = dir.resolve("etcd.log");
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
