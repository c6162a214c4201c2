package dev.nugator.store;

/**
 * A key kept in the store for as long as its owner runs, such as a node's record: see
 * {@link KvStore#keepAlive}. Closing it deletes the key; a process that dies without closing it
 * loses the key when its lease expires (etcd).
 */
public interface Registration extends AutoCloseable {

    /**
     * Whether the key is believed to be in the store now: true from a confirmed write or renewal
     * until the time the store promised to keep it has passed without another confirmation.
     */
    boolean isLive();

    /** Deletes the key, within a deadline; a failure is logged, never thrown. Safe to call twice. */
    @Override
    void close();
}
