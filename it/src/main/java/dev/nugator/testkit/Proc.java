package dev.nugator.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one external command to completion under a deadline. Every process a test starts goes
 * through here, because a hung plugin or {@code ip} call must fail the test, not hang the build.
 * Both output streams are drained concurrently so that a chatty process can never block on a full
 * pipe.
 */
public final class Proc {
    /** Long enough for any single command of ours; short enough that a hang is noticed. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);

    private final List<String> command;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Set<String> unset = new HashSet<>();
    private byte[] stdin = new byte[0];
    private Duration deadline = DEFAULT_DEADLINE;

    private Proc(List<String> command) {
        this.command = List.copyOf(command);
    }

    public static Proc of(String... command) {
        return new Proc(List.of(command));
    }

    public static Proc of(List<String> command) {
        return new Proc(command);
    }

    /** Sets (or overrides) one environment variable of the child. */
    public Proc env(String name, String value) {
        env.put(name, value);
        unset.remove(name);
        return this;
    }

    /** Removes a variable the child would otherwise inherit from this JVM. */
    public Proc unsetEnv(String name) {
        env.remove(name);
        unset.add(name);
        return this;
    }

    public Proc stdin(byte[] bytes) {
        this.stdin = bytes.clone();
        return this;
    }

    public Proc stdin(String text) {
        return stdin(text.getBytes(StandardCharsets.UTF_8));
    }

    public Proc deadline(Duration deadline) {
        this.deadline = deadline;
        return this;
    }

    /**
     * Runs the command and waits for it. When the deadline passes the process is killed and a
     * {@link ProcTimeoutException} carries whatever it printed so far.
     */
    public ProcResult run() {
        long start = System.nanoTime();
        Process process = start();
        var out = drain(process.getInputStream());
        var err = drain(process.getErrorStream());
        feed(process.getOutputStream(), stdin);
        try {
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new ProcTimeoutException(command, deadline, text(out), text(err));
            }
            int code = process.waitFor();
            return new ProcResult(command, code, text(out), text(err), Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** Runs the command and requires exit code 0. */
    public ProcResult check() {
        return run().requireSuccess();
    }

    private Process start() {
        var builder = new ProcessBuilder(command);
        builder.environment().keySet().removeAll(unset);
        builder.environment().putAll(env);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return stream.readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        }, Thread::startVirtualThread);
    }

    private static void feed(OutputStream stream, byte[] bytes) {
        Thread.startVirtualThread(() -> {
            try (stream) {
                stream.write(bytes);
            } catch (IOException processClosedStdinEarly) {
                // a process may exit without reading its stdin (e.g. VERSION); that is its right
            }
        });
    }

    private static String text(CompletableFuture<byte[]> bytes) {
        try {
            return new String(bytes.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        } catch (ExecutionException | TimeoutException e) {
            // a grandchild may still hold the pipe open; report what we have rather than hang
            return "<output unavailable: " + e + ">";
        }
    }

    /** Convenience for building argument lists: {@code Proc.args("ip", "-n", ns, rest...)}. */
    public static List<String> args(String first, List<String> rest) {
        var all = new ArrayList<String>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
