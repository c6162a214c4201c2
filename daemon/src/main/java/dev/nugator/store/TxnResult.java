package dev.nugator.store;

import java.util.List;

/**
 * Whether a transaction's compares held, and the store's revision after it. {@code read}: after a
 * failed {@link KvStore#txnReadingBack}, the compared keys that exist (a compared key missing here
 * is absent); otherwise empty.
 */
public record TxnResult(boolean succeeded, long revision, List<KeyValue> read) {
    public TxnResult {
        read = List.copyOf(read);
    }

    public TxnResult(boolean succeeded, long revision) {
        this(succeeded, revision, List.of());
    }
}
