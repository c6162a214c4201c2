package dev.nugator.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nugator.cni.CniCommand;
import dev.nugator.cni.CniEnvironment;
import dev.nugator.cni.CniError;
import dev.nugator.cni.CniReply;
import dev.nugator.cni.CniVersion;
import dev.nugator.cni.Deadline;
import dev.nugator.cni.Json;
import dev.nugator.cni.NetworkConfig;
import dev.nugator.delegate.DelegateRunner;
import dev.nugator.delegate.PluginExecutor;
import dev.nugator.link.LinkEngine;
import dev.nugator.store.AttachmentStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nugator plugin as a function: environment and stdin in, exit code and stdout out. It is
 * what the socket server calls, and what tests call in-process. Every failure leaves here as a
 * CNI error through {@link ErrorMapper}; nothing else turns exceptions into replies.
 *
 * <p>Commands run on platform threads of their own, not on the caller's (a virtual thread per
 * connection): they make native calls (rtnetlink over java.lang.foreign, SQLite) that pin a
 * virtual thread's carrier for as long as they take, and a few slow ones would stall every other
 * caller. The caller waits with a deadline: the command's, plus the time an undo may take.
 *
 * <p>At most {@link #WORKERS} commands run at once; a thread is made only when no idle one can take
 * the command, so a node gets about as many as its runtime runs commands at once, not
 * {@link #WORKERS} (a pool of that many core threads made one per command until it had them all,
 * each with its stack and buffers; bench, 200-pod bring-up 8 at once: peak RSS 3-4 MiB less).
 */
public final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final int WORKERS = 32;
    /** Past the command's deadline and its undo, how long a caller still waits for the answer. */
    private static final Duration GRACE = Duration.ofSeconds(5);
    private final ExecutorService workers;
    private final Semaphore running = new Semaphore(WORKERS);
    private final Duration commandTimeout;
    private final Duration answerTimeout;
    private final AddCommand add;
    private final DelCommand del;
    private final CheckCommand check;
    private final GcCommand gc;
    private final StatusCommand status;

    /**
     * A dispatcher without links whose ADD checks CNI_NETNS with {@code namespaces}: unit tests of
     * the CNI side, which have no namespaces to give.
     */
    Dispatcher(AttachmentStore store, PluginExecutor executor, Duration commandTimeout, Duration cleanupTimeout,
               PodNamespace.Check namespaces) {
        this(store, executor, commandTimeout, cleanupTimeout, Optional.empty(), namespaces);
    }

    public Dispatcher(AttachmentStore store, PluginExecutor executor, Duration commandTimeout, Duration cleanupTimeout,
                      Optional<LinkEngine> links) {
        this(store, executor, commandTimeout, cleanupTimeout, links, PodNamespace.checking(links));
    }

    private Dispatcher(AttachmentStore store, PluginExecutor executor, Duration commandTimeout, Duration cleanupTimeout,
                       Optional<LinkEngine> links, PodNamespace.Check namespaces) {
        this.commandTimeout = commandTimeout;
        this.answerTimeout = commandTimeout.plus(cleanupTimeout).plus(GRACE);
        // No queue: a command goes to an idle thread or a new one; `running` bounds how many run.
        this.workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                Thread.ofPlatform().name("nugatord-cni-", 1).daemon().factory());
        var runner = new DelegateRunner(executor);
        var teardown = new Teardown(runner);
        var locks = new AttachmentLocks();
        this.add = new AddCommand(store, runner, teardown, locks, cleanupTimeout, links, namespaces);
        this.del = new DelCommand(store, teardown, locks, links);
        this.check = new CheckCommand(store, runner, locks, links);
        this.gc = new GcCommand(store, runner, teardown, locks, links);
        this.status = new StatusCommand(store, runner, links);
    }

    public CniReply handle(Map<String, String> environment, byte[] stdin) {
        try {
            var env = CniEnvironment.parse(environment);
            if (env.command() == CniCommand.VERSION) {
                return CniReply.success(version());
            }
            var config = NetworkConfig.parse(stdin);
            if (log.isDebugEnabled()) {
                log.debug("{} container={} netns={} ifname={} args={} parsed config:\n{}", env.command(), env.containerId(),
                        env.netns(), env.ifname(), env.args().raw(), Json.pretty(config.raw()));
            }
            return onWorker(env, config, Deadline.in(commandTimeout));
        } catch (RuntimeException e) {
            var error = ErrorMapper.toCniError(e);
            log.info("{} failed with code {}: {}", environment.get("CNI_COMMAND"), error.code(), error.getMessage());
            return CniReply.error(versionForErrors(stdin), error);
        }
    }

    private CniReply onWorker(CniEnvironment env, NetworkConfig config, Deadline deadline) {
        long until = System.nanoTime() + answerTimeout.toNanos();
        try {
            if (!running.tryAcquire(answerTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new CniError(CniError.TRY_AGAIN_LATER, env.command() + " waited " + answerTimeout.toSeconds() + " s for one of the "
                        + WORKERS + " commands nugatord runs at once to end", "the runtime may retry");
            }
            Future<CniReply> answer;
            try {
                answer = workers.submit(() -> {
                    try {
                        return execute(env, config, deadline);
                    } finally {
                        running.release();
                    }
                });
            } catch (RuntimeException notTaken) {
                running.release();
                throw notTaken;
            }
            return answer.get(until - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new CniError(CniError.TRY_AGAIN_LATER, env.command() + " did not finish within " + answerTimeout.toSeconds()
                    + " s (its deadline and the undo of a failure): nugatord is still working on it", "the runtime may retry");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CniError(CniError.TRY_AGAIN_LATER, "nugatord is stopping", "the runtime may retry");
        }
    }

    private CniReply execute(CniEnvironment env, NetworkConfig config, Deadline deadline) {
        return switch (env.command()) {
            case ADD -> CniReply.success(add.run(env, config, deadline));
            case DEL -> {
                del.run(env, config, deadline);
                yield CniReply.empty();
            }
            case CHECK -> {
                check.run(env, config, deadline);
                yield CniReply.empty();
            }
            case GC -> {
                gc.run(env, config, deadline);
                yield CniReply.empty();
            }
            case STATUS -> {
                status.run(env, config, deadline);
                yield CniReply.empty();
            }
            case VERSION -> CniReply.success(version());
        };
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode version() {
        var json = Json.MAPPER.createObjectNode().put("cniVersion", CniVersion.LATEST.text());
        var supported = json.putArray("supportedVersions");
        CniVersion.supported().forEach(supported::add);
        return json;
    }

    /** Errors carry the request's cniVersion when it can be read at all. */
    private static String versionForErrors(byte[] stdin) {
        try {
            JsonNode version = Json.MAPPER.readTree(stdin).get("cniVersion");
            if (version != null && version.isTextual()) {
                CniVersion.parse(version.asText(), "cniVersion");
                return version.asText();
            }
            return CniVersion.IMPLIED.text();
        } catch (Exception unreadable) {
            return CniVersion.LATEST.text();
        }
    }
}
