package dev.nugator.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one transaction's compares and the chosen branch inside an open SQL transaction, all at
 * one new revision, and reports what changed. Whether the revision is spent is decided by the
 * caller from the changes: etcd raises its revision only when something was written.
 */
final class TxnApplier {
    private static final byte[] NO_VALUE = new byte[0];

    /** The branch taken and the changes made, in op order; no changes means nothing was written. */
    record Applied(boolean succeeded, List<WatchEvent> changes) {}

    private final KvTable table;

    TxnApplier(KvTable table) {
        this.table = table;
    }

    Applied apply(List<Compare> compares, List<Op> onSuccess, List<Op> onFailure, long revision) throws SQLException {
        boolean succeeded = holds(compares);
        var changes = new ArrayList<WatchEvent>();
        for (Op op : succeeded ? onSuccess : onFailure) {
            write(op, revision, changes);
        }
        return new Applied(succeeded, changes);
    }

    private boolean holds(List<Compare> compares) throws SQLException {
        for (Compare compare : compares) {
            if (!holds(compare, table.modRevision(compare.key()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(Compare compare, long modRevision) {
        return switch (compare) {
            case Compare.ModRevision expected -> modRevision == expected.expected();
            case Compare.Exists ignored -> modRevision != 0;
            case Compare.Absent ignored -> modRevision == 0;
        };
    }

    private void write(Op op, long revision, List<WatchEvent> changes) throws SQLException {
        switch (op) {
            case Op.Put put -> changes.add(new WatchEvent(WatchEvent.Type.PUT, table.put(put.key(), put.value().clone(), revision)));
            case Op.Delete delete -> {
                if (table.delete(delete.key())) {
                    changes.add(deleted(delete.key(), revision));
                }
            }
            case Op.DeletePrefix prefix -> table.deletePrefix(prefix.prefix()).forEach(key -> changes.add(deleted(key, revision)));
        }
    }

    /** etcd's delete event: the key, no value, no creation, the delete's revision as mod revision. */
    private static WatchEvent deleted(String key, long revision) {
        return new WatchEvent(WatchEvent.Type.DELETE, new KeyValue(key, NO_VALUE, 0, revision));
    }
}
