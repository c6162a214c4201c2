package dev.nugator.store;

/** A running watch; closing it stops its deliveries. Safe to close twice. */
public interface Watch extends AutoCloseable {
    /**
     * Whether the watch ended by itself and delivers nothing more (etcd refused to resume it, e.g.
     * for "no leader"): the owner should read the state again and watch anew.
     */
    default boolean ended() {
        return false;
    }

    @Override
    void close();
}
