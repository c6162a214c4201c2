package dev.nugator.delegate;

import dev.nugator.cni.CniError;
import dev.nugator.cni.Deadline;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Execs plugin binaries found on CNI_PATH, with bounded output and a hard deadline; whatever a
 * plugin leaves running when it exits or its deadline passes is ended (see {@link DelegateProcesses}).
 */
public final class ProcessPluginExecutor implements PluginExecutor {
    private static final Logger log = LoggerFactory.getLogger(ProcessPluginExecutor.class);
    private static final int MAX_STDOUT = 1 << 20;
    private static final int MAX_STDERR = 16 << 10;
    /** Plugins such as bridge with ipMasq exec iptables: they need a PATH even though CNI gives none. */
    private static final String PATH = System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    private final DelegateProcesses processes = new DelegateProcesses();

    @Override
    public PluginOutcome run(String type, String cniPath, Map<String, String> env, byte[] stdin, Deadline deadline) {
        Path binary = locate(type, cniPath);
        var builder = new ProcessBuilder(binary.toString());
        builder.environment().clear();
        builder.environment().put("PATH", PATH);
        builder.environment().putAll(env);
        Process process;
        try {
            process = processes.start(builder);
        } catch (IOException e) {
            throw new CniError(CniError.DELEGATE_FAILED, "cannot start plugin " + binary + ": " + e.getMessage());
        }
        try {
            return collect(type, process, stdin, deadline);
        } finally {
            processes.finished(process);
        }
    }

    @Override
    public void requireAvailable(String type, String cniPath) {
        locate(type, cniPath);
    }

    static Path locate(String type, String cniPath) {
        for (String dir : cniPath.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, type);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new CniError(CniError.DELEGATE_NOT_FOUND, "plugin '" + type + "' not found in CNI_PATH " + cniPath);
    }

    private PluginOutcome collect(String type, Process process, byte[] stdin, Deadline deadline) {
        var stdout = readAsync(process.getInputStream(), MAX_STDOUT);
        var stderr = readAsync(process.getErrorStream(), MAX_STDERR);
        Thread.ofVirtual().start(() -> feed(process.getOutputStream(), stdin));
        try {
            if (!process.waitFor(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS)) {
                throw deadline.expired("plugin " + type);
            }
            processes.finished(process);   // what it left running would hold its output open
            byte[] out = stdout.get(2, TimeUnit.SECONDS);
            String err = new String(stderr.get(2, TimeUnit.SECONDS), StandardCharsets.UTF_8).strip();
            if (!err.isEmpty()) {
                log.debug("plugin {} stderr: {}", type, err);
            }
            return new PluginOutcome(process.exitValue(), out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CniError(CniError.TRY_AGAIN_LATER, "interrupted while plugin " + type + " ran");
        } catch (ExecutionException | TimeoutException e) {
            throw new CniError(CniError.DELEGATE_FAILED, "cannot read the output of plugin " + type + ": " + e);
        }
    }

    private static CompletableFuture<byte[]> readAsync(InputStream in, int limit) {
        var future = new CompletableFuture<byte[]>();
        Thread.ofVirtual().start(() -> {
            try (in) {
                byte[] kept = in.readNBytes(limit);
                in.transferTo(OutputStream.nullOutputStream());
                future.complete(kept);
            } catch (IOException e) {
                future.completeExceptionally(e);
            }
        });
        return future;
    }

    private static void feed(OutputStream in, byte[] stdin) {
        try (in) {
            in.write(stdin);
        } catch (IOException e) {
            log.debug("plugin did not read all of its stdin: {}", e.getMessage());
        }
    }
}
