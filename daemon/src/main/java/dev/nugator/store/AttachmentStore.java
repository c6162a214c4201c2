package dev.nugator.store;

import java.util.List;
import java.util.Optional;

/** Where nugatord keeps attachment state. Every write is atomic: a crash leaves the old or the new record. */
public interface AttachmentStore {
    /** @throws CorruptStateException when a record exists but cannot be read */
    Optional<Attachment> load(AttachmentKey key);

    void save(Attachment attachment);

    /** Removes the record; removing a missing record is not an error. */
    void delete(AttachmentKey key);

    /** Every attachment recorded for a network; unreadable records are returned as keys only. */
    List<AttachmentKey> list(String network);

    /** Whether the store can take writes now (for STATUS). */
    Optional<String> unavailableReason();
}
