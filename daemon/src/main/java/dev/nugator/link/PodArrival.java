package dev.nugator.link;

import dev.nugator.cni.Deadline;
import dev.nugator.netlink.LinkInfo;
import dev.nugator.netlink.Outcome;
import dev.nugator.pairing.AttachTransaction;
import dev.nugator.pairing.LinkRegistry;
import dev.nugator.pairing.LinkSpec;
import dev.nugator.pairing.PodAttachment;
import dev.nugator.store.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * A pod's ADD on this node, for {@link LinkEngine#attach}: the pod is written to the store and its
 * links are brought up to it before the ADD returns.
 *
 * <p>The store's round trip and the pod's ends in the kernel run at the same time: making the
 * ends needs nothing the write decides. The pod's links stay locked from before its ends are made
 * until their ports are up, so that no other pass finds an end whose pod the view does not hold
 * yet, nor takes a port down in between (the view's watchers never hold the view back, so waiting
 * for it under these locks is safe). On failure the ADD undoes itself.
 */
final class PodArrival {
    /** How long an ADD waits for the store's watch to bring what was written before its own write. */
    private static final Duration CATCH_UP = Duration.ofSeconds(2);
    /**
     * An ADD's write to the store goes out from one of these while its thread makes the pod's ends:
     * platform threads, which start at once (a virtual one waited for a carrier that a record's
     * fsync held, a millisecond and more, before the write could leave).
     */
    private static final Executor WRITERS = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("nugatord-attach-write-", 0).factory());

    /** The engine's pass over one link, for an ADD (a clean pass clears the link's error). */
    interface Passer {
        List<PodEnd> pass(LinkSpec link, Pass pass, Optional<PodAttachment> known);
    }

    /** The engine's DEL of the pod, which undoes a failed ADD. */
    interface Leaver {
        void detach(PodAttachment pod);
    }

    private final LinkRegistry registry;
    private final PanelKernel kernel;
    private final ThisNode self;
    private final AttachTransaction recorder;
    private final LinkLocks locks;
    private final OwnWrites own;
    private final PendingDetaches pending;
    private final Passer passer;
    private final Leaver leaver;

    PodArrival(LinkRegistry registry, PanelKernel kernel, ThisNode self, AttachTransaction recorder, LinkLocks locks,
               OwnWrites own, PendingDetaches pending, Passer passer, Leaver leaver) {
        this.registry = registry;
        this.kernel = kernel;
        this.self = self;
        this.recorder = recorder;
        this.locks = locks;
        this.own = own;
        this.pending = pending;
        this.passer = passer;
        this.leaver = leaver;
    }

    /** Records the pod and brings each of its links up to it, within the command's deadline; returns its ends. */
    List<PodEnd> attach(PodAttachment pod, Deadline deadline) {
        var links = registry.linksOf(pod.pod());
        var lockedIds = links.stream().map(LinkSpec::id).toList();
        var ends = new ArrayList<PodEnd>();
        List<LinkSpec> joined;
        long revision;
        own.attaching(pod.pod(), pod.containerId());
        try (var held = locks.lockAll(lockedIds); var session = kernel.session()) {
            var writing = CompletableFuture.supplyAsync(() -> recorder.record(pod, links), WRITERS);
            Map<String, Outcome<LinkInfo>> made;
            try {
                made = EndBatch.make(kernel, self, pod, links);
            } catch (RuntimeException e) {
                try {   // the pod was written, or not: either way it is undone below
                    own.attachFailed(pod.pod(), pod.containerId(), recorded(pod, writing, Map.of()));
                } catch (RuntimeException notWritten) {
                    e.addSuppressed(notWritten);
                }
                throw e;
            }
            revision = recorded(pod, writing, made);
            try {
                // What others wrote before this (a link just applied elsewhere) must be seen by this ADD.
                // Only before: this write is in the view already, and its echo need not be waited for
                // (the watch brings it a millisecond or two after the store's answer, on every ADD).
                registry.store().awaitRevision(revision - 1, CATCH_UP);
                pending.cancel(pod.pod(), pod.containerId());
                // known before the links are made, so that the watch's echo of this write, whenever it
                // comes, does not redo them (and undo what someone changed since)
                own.attached(pod.pod(), pod.containerId(), revision);
                var now = registry.linksOf(pod.pod());
                joined = now.stream().filter(l -> !lockedIds.contains(l.id())).toList();
                dropEndsOfLinksGone(pod, links, now, made);
                ends.addAll(passes(pod, now.stream().filter(l -> lockedIds.contains(l.id())).toList(), made, deadline));
            } catch (RuntimeException e) {
                own.attachFailed(pod.pod(), pod.containerId(), revision);
                throw e;
            }
        } catch (RuntimeException e) {
            leaver.detach(pod);
            throw e;
        }
        // links the store gained for the pod while it was written (rare): their locks were not taken above
        try {
            ends.addAll(passes(pod, joined, Map.of(), deadline));
        } catch (RuntimeException e) {
            own.attachFailed(pod.pod(), pod.containerId(), revision);
            leaver.detach(pod);
            throw e;
        }
        return ends;
    }

    /** The ADD's passes over {@code links}: ends made (or taken from {@code made}) and wired; ports up at the end, together. */
    private List<PodEnd> passes(PodAttachment pod, List<LinkSpec> links, Map<String, Outcome<LinkInfo>> made, Deadline deadline) {
        var ends = new ArrayList<PodEnd>();
        var upLater = new ArrayList<String>();
        for (var link : links) {
            deadline.check("making the links of " + pod.pod());
            passer.pass(link, Pass.add(link.sidesAt(pod.pod()), upLater, made), Optional.of(pod)).stream()
                    .filter(e -> e.endpoint().pod().equals(pod.pod())).forEach(ends::add);
        }
        upLater.forEach(port -> kernel.setUp(port, true));
        return ends;
    }

    /**
     * The revision of the pod's write. When it failed, the ends made meanwhile go and the mark of the
     * write goes; a store that did not answer may have taken it all the same, so it is released once
     * the store answers.
     */
    private long recorded(PodAttachment pod, CompletableFuture<Long> writing, Map<String, Outcome<LinkInfo>> made) {
        try {
            try {
                return writing.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        } catch (RuntimeException e) {
            own.attachNotWritten(pod.pod(), pod.containerId());
            made.values().forEach(outcome -> dropEnd(pod, outcome));
            if (e instanceof StoreUnavailableException) {
                pending.add(new PendingDetaches.Detach(pod.pod(), pod.containerId(), pod.network(), pod.uid()));
            }
            throw e;
        }
    }

    /** The ends made for links that left the store while the pod was written go again (their link's removal may have come first). */
    private void dropEndsOfLinksGone(PodAttachment pod, List<LinkSpec> before, List<LinkSpec> now, Map<String, Outcome<LinkInfo>> made) {
        var stay = now.stream().map(LinkSpec::id).collect(Collectors.toSet());
        for (var link : before) {
            if (stay.contains(link.id())) {
                continue;
            }
            for (var side : link.sidesAt(pod.pod())) {
                var outcome = made.get(PanelNames.port(link.id(), side));
                if (outcome != null) {
                    dropEnd(pod, outcome);
                }
            }
        }
    }

    /** An end the batch made goes again, its port with it. */
    private void dropEnd(PodAttachment pod, Outcome<LinkInfo> made) {
        if (made.isDone()) {
            kernel.deletePodSide(pod.netns(), made.value().name());
        }
    }
}
