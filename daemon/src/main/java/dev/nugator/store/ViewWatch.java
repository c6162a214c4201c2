package dev.nugator.store;

import java.util.List;
import java.util.function.Consumer;

/**
 * One watcher of a {@link StoreView}: the changes under its prefix after its revision, as the
 * view's one watch on the store brings them, after the view has taken them in. It ends when that
 * watch ends (the view reads everything again at its next refresh, and its owner watches anew).
 */
final class ViewWatch implements Watch {
    private final String prefix;
    private final long afterRevision;
    private final Consumer<List<WatchEvent>> listener;
    private final Consumer<ViewWatch> onClose;
    private final java.util.function.BooleanSupplier sourceEnded;
    private volatile boolean ended;
    private volatile boolean closed;

    ViewWatch(String prefix, long afterRevision, Consumer<List<WatchEvent>> listener, Consumer<ViewWatch> onClose,
              java.util.function.BooleanSupplier sourceEnded) {
        this.sourceEnded = sourceEnded;
        this.prefix = prefix;
        this.afterRevision = afterRevision;
        this.listener = listener;
        this.onClose = onClose;
    }

    void deliver(List<WatchEvent> events) {
        if (closed) {
            return;
        }
        var mine = events.stream().filter(e -> e.kv().key().startsWith(prefix) && e.kv().modRevision() > afterRevision).toList();
        if (!mine.isEmpty()) {
            listener.accept(mine);
        }
    }

    void end() {
        ended = true;
    }

    @Override
    public boolean ended() {
        return ended || sourceEnded.getAsBoolean();
    }

    @Override
    public void close() {
        closed = true;
        onClose.accept(this);
    }
}
