package dev.nugator.plugin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.CniEnvironment;
import dev.nugator.cni.CniError;
import dev.nugator.cni.Deadline;
import dev.nugator.cni.NetworkConfig;
import dev.nugator.cni.Result;
import dev.nugator.cni.ResultCodec;
import dev.nugator.delegate.Delegate;
import dev.nugator.delegate.DelegatePlan;
import dev.nugator.delegate.DelegateRunner;
import dev.nugator.link.LinkEngine;
import dev.nugator.pairing.PodAttachment;
import dev.nugator.store.Attachment;
import dev.nugator.store.AttachmentKey;
import dev.nugator.store.AttachmentStore;
import dev.nugator.store.CorruptStateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ADD: records the attachment, runs the delegates in order, merges their results after
 * prevResult, then brings the pod's links up to it (their interfaces exist before ADD returns).
 * Anything short of full success is undone before the error is returned.
 */
final class AddCommand {
    private static final Logger log = LoggerFactory.getLogger(AddCommand.class);
    /**
     * Write the records of networks without delegates while their links are made. Platform threads:
     * a file's fsync holds its thread for milliseconds, and on a virtual thread it held one of the
     * few carriers the daemon's connections and the ADD's own store write run on.
     */
    private static final Executor RECORD_WRITERS = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("nugatord-record-", 0).factory());
    private final AttachmentStore store;
    private final DelegateRunner runner;
    private final Teardown teardown;
    private final AttachmentLocks locks;
    private final Duration cleanupTimeout;
    private final Optional<LinkEngine> links;
    private final PodNamespace.Check namespaces;

    AddCommand(AttachmentStore store, DelegateRunner runner, Teardown teardown, AttachmentLocks locks, Duration cleanupTimeout,
               Optional<LinkEngine> links, PodNamespace.Check namespaces) {
        this.links = links;
        this.namespaces = namespaces;
        this.store = store;
        this.runner = runner;
        this.teardown = teardown;
        this.locks = locks;
        this.cleanupTimeout = cleanupTimeout;
    }

    ObjectNode run(CniEnvironment env, NetworkConfig config, Deadline deadline) {
        var key = new AttachmentKey(config.name(), env.containerId(), env.ifname());
        var netns = namespaces.require(env);   // before anything is done
        var delegates = DelegatePlan.of(config, env.ifname());
        runner.requireAvailable(delegates, env);
        var engine = PodLinks.engineFor(links, config);
        var pod = PodLinks.pod(env.args()).filter(p -> engine.isPresent());
        var uid = PodLinks.uid(env.args());
        var prevResult = config.prevResult().map(p -> ResultCodec.read(p, config.version(), "prevResult")).orElse(Result.empty());
        try (var held = locks.lock(key)) {
            refuseExisting(key);
            var attachment = new Attachment(Attachment.FORMAT, key, env.netns(), config.version().text(), env.args().raw(),
                    false, delegates.stream().map(DelegateStates::pending).toList());
            // Written and synced before any delegate runs, so that after a crash a DEL knows what to
            // undo. A network without delegates has nothing such a record would help undo (DEL removes
            // a pod's links with or without one): its record is written once, complete, and while the
            // links are made (their store round trip leaves the time), then waited for before the reply.
            Optional<CompletableFuture<Void>> recording = Optional.empty();
            if (delegates.isEmpty()) {
                var complete = attachment.completed();
                recording = Optional.of(CompletableFuture.runAsync(() -> store.save(complete), RECORD_WRITERS));
            } else {
                store.save(attachment);
            }
            var attempted = new ArrayList<Delegate>();
            var results = new HashMap<Integer, ObjectNode>();
            boolean linksAttached = false;
            boolean success = false;
            try {
                var merged = prevResult;
                for (var delegate : delegates) {
                    deadline.check(delegate.label());
                    attempted.add(delegate);
                    ObjectNode raw = runner.add(delegate, env, deadline);
                    results.put(delegate.index(), raw);
                    attachment = attachment.withDelegate(DelegateStates.added(delegate, raw));
                    store.save(attachment);
                    merged = merged.append(ResultCodec.read(raw, delegate.version(), delegate.label() + "'s result"));
                }
                if (pod.isPresent()) {
                    var ends = engine.get().attach(new PodAttachment(pod.get(), env.containerId(), netns, engine.get().node(), config.name(), uid), deadline);
                    linksAttached = true;   // a failed attach has undone itself
                    merged = merged.append(PodLinks.result(ends));
                }
                if (recording.isPresent()) {
                    awaitRecord(recording.get());
                } else {
                    store.save(attachment.completed());
                }
                success = true;
                log.info("ADD {} netns {}: {} delegate(s) attached", key, env.netns(), delegates.size());
                return ResultCodec.write(merged, config.version());
            } finally {
                if (!success) {
                    // a record still being written must land before the rollback removes it
                    recording.ifPresent(AddCommand::settle);
                    if (linksAttached) {
                        engine.get().detach(pod.get(), env.containerId(), config.name(), uid);
                    }
                    rollback(key, attempted, results, env);
                }
            }
        }
    }

    /** The record's write, done: its failure is the ADD's (the links are then undone like any other failure). */
    private static void awaitRecord(CompletableFuture<Void> recording) {
        try {
            recording.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static void settle(CompletableFuture<Void> recording) {
        try {
            recording.join();
        } catch (CompletionException e) {
            log.debug("the record of a failed ADD was not written either: {}", e.getCause().toString());
        }
    }

    private void refuseExisting(AttachmentKey key) {
        try {
            if (store.load(key).isPresent()) {
                throw new CniError(CniError.ALREADY_ATTACHED, "container " + key.containerId() + " already has interface "
                        + key.ifname() + " on network " + key.network() + "; DEL it before adding it again");
            }
        } catch (CorruptStateException e) {
            throw new CniError(CniError.ALREADY_ATTACHED, "an unreadable record of attachment " + key
                    + " exists; DEL it before adding it again", e.getMessage());
        }
    }

    /** Undoes a failed ADD; when a delegate's DEL fails too, the record stays so the runtime's DEL retries it. */
    private void rollback(AttachmentKey key, List<Delegate> attempted, HashMap<Integer, ObjectNode> results, CniEnvironment env) {
        var errors = teardown.delegates(attempted, results, env, Deadline.in(cleanupTimeout)).stream()
                .filter(Teardown::retryCanHelp).toList();
        if (errors.isEmpty()) {
            store.delete(key);
            log.info("ADD {} failed and was rolled back", key);
        } else {
            log.warn("ADD {} failed and its rollback left {} delegate(s) to the runtime's DEL", key, errors.size());
        }
    }
}
