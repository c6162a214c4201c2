package dev.nugator.pairing;

import dev.nugator.cni.Json;
import dev.nugator.store.Compare;
import dev.nugator.store.KvStore;
import dev.nugator.store.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * One change of links, written in transactions of at most {@link #MAX_OPS} operations and
 * compares each, because etcd refuses bigger ones (--max-txn-ops, 128 by default) and a KNE
 * topology has thousands of links. The chunks are chained on {@code links-version}: the first
 * holds only if no writer came since the caller read it, each next one only if none came since
 * the previous chunk. A chunk that fails leaves the earlier ones applied, which is harmless
 * because every writer re-reads and writes the whole truth again (apply, delete are idempotent).
 * The topology record goes last, so a topology is listed only once all of its links are written.
 */
final class LinkWrite {
    static final int MAX_OPS = 100;
    private final List<Unit> units = new ArrayList<>();
    private final List<Op> last = new ArrayList<>();

    /** Operations that belong together in one chunk (a link, and its VNI keys when it goes). */
    private record Unit(List<Compare> compares, List<Op> ops) {}

    void add(List<Compare> compares, List<Op> ops) {
        units.add(new Unit(List.copyOf(compares), List.copyOf(ops)));
    }

    void addLast(Op op) {
        last.add(op);
    }

    /** Writes it all; false when another writer came first (re-read and try again). */
    boolean commit(KvStore store, long linksVersion) {
        var chunks = new ArrayList<Unit>();
        var compares = new ArrayList<Compare>();
        var ops = new ArrayList<Op>();
        for (var unit : units) {
            if (ops.size() + unit.ops().size() > MAX_OPS - 1 || compares.size() + unit.compares().size() > MAX_OPS - 1) {
                chunks.add(new Unit(compares, ops));
                compares = new ArrayList<>();
                ops = new ArrayList<>();
            }
            compares.addAll(unit.compares());
            ops.addAll(unit.ops());
        }
        if (ops.size() + last.size() > MAX_OPS - 1) {
            chunks.add(new Unit(compares, ops));
            compares = new ArrayList<>();
            ops = new ArrayList<>();
        }
        ops.addAll(last);
        chunks.add(new Unit(compares, ops));
        long version = linksVersion;
        for (var chunk : chunks) {
            var txnCompares = new ArrayList<Compare>(chunk.compares());
            txnCompares.add(new Compare.ModRevision(Keys.LINKS_VERSION, version));
            var txnOps = new ArrayList<Op>(chunk.ops());
            txnOps.add(new Op.Put(Keys.LINKS_VERSION, LinkRegistry.bytes(Json.MAPPER.createObjectNode())));
            var result = store.txn(txnCompares, txnOps, List.of());
            if (!result.succeeded()) {
                return false;
            }
            version = result.revision();
        }
        return true;
    }
}
