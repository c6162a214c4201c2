package dev.nugator.store;

/** A running watch; closing it stops its deliveries. Safe to close twice. */
public interface Watch extends AutoCloseable {
    @Override
    void close();
}
