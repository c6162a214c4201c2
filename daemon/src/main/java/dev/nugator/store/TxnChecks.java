package dev.nugator.store;

import java.util.HashSet;
import java.util.List;

/**
 * Refuses what etcd refuses ("duplicate key given in txn request"): a branch that puts one key twice,
 * or puts a key it also deletes. The embedded store must accept and reject the same transactions as
 * the etcd store, and a watch must never see two events for one key at one revision. Overlapping
 * deletes are allowed, as in etcd: the second one finds nothing.
 */
final class TxnChecks {
    private TxnChecks() {}

    static void requireNoOverlap(List<Op> ops) {
        var puts = new HashSet<String>();
        for (Op op : ops) {
            if (op instanceof Op.Put put && !puts.add(put.key())) {
                throw duplicate(put.key());
            }
        }
        for (Op op : ops) {
            for (String key : puts) {
                if (deletes(op, key)) {
                    throw duplicate(key);
                }
            }
        }
    }

    private static boolean deletes(Op op, String key) {
        return switch (op) {
            case Op.Put ignored -> false;
            case Op.Delete delete -> delete.key().equals(key);
            case Op.DeletePrefix prefix -> key.startsWith(prefix.prefix());
        };
    }

    private static IllegalArgumentException duplicate(String key) {
        return new IllegalArgumentException("duplicate key given in txn request: " + key + " is put twice, or put and deleted");
    }
}
