package dev.nugator.pairing;

/**
 * One change the store's watch reported, decoded where the records' format lives (see
 * {@link LinkRegistry#change}): what a node's reconciler reacts to. Keys it has no use for
 * (topologies, VNIs, errors) are {@link Other}.
 */
public sealed interface StoreChange {
    /** A link was applied or changed. */
    record LinkPut(LinkSpec link) implements StoreChange {}

    /** A link was deleted: only its id is left. */
    record LinkDeleted(String id) implements StoreChange {}

    /** A pod started (or restarted) on some node; {@code revision} is the write's. */
    record PodPut(PodAttachment pod, long revision) implements StoreChange {}

    /** A pod stopped; {@code revision} is the delete's. */
    record PodDeleted(PodRef pod, long revision) implements StoreChange {}

    /** A node's nugatord (re)published its record. */
    record NodePut(NodeRecord node) implements StoreChange {}

    /** A node's record went: its nugatord stopped, or its lease ran out. */
    record NodeDeleted(String name) implements StoreChange {}

    /**
     * A record that cannot be read (a newer writer's, or a damaged one): skipped, and already logged
     * and listed where it was decoded, so that it stops neither the watch nor the other changes.
     */
    record Unreadable(String key) implements StoreChange {}

    /** Anything else under the root. */
    record Other(String key) implements StoreChange {}
}
