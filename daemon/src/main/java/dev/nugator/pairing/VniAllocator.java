package dev.nugator.pairing;

import dev.nugator.store.Compare;
import dev.nugator.store.KeyValue;
import dev.nugator.store.KvStore;
import dev.nugator.store.Op;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Gives each link that crosses nodes a VNI of its own. Allocation is one transaction that claims
 * {@code vnis/<vni>} only while it is free, records {@code link-vnis/<link>} only while the link has
 * none and only while the link exists, and moves the cursor: two nodes allocating for one link at
 * once agree on one VNI, and two links never share one. The link's deletion frees both keys in its
 * own transaction (see {@link LinkRegistry}), so a VNI is reused only after its link is gone.
 */
public final class VniAllocator {
    public static final int FIRST = 4096;
    public static final int LAST = (1 << 24) - 1;
    private static final int ATTEMPTS = 64;
    private final KvStore store;
    private final UnreadableRecords records;
    private final java.util.Map<String, Integer> cache = new java.util.concurrent.ConcurrentHashMap<>();

    public VniAllocator(KvStore store) {
        this.store = store;
        this.records = UnreadableRecords.of(store);
    }

    /** The link's VNI, empty when it has none or its record cannot be read (see {@link #allocate}). */
    public Optional<Integer> find(String linkId) {
        var known = cache.get(linkId);
        if (known != null) {
            return Optional.of(known);
        }
        var read = store.get(Keys.linkVni(linkId)).flatMap(kv -> records.decode(kv, VniAllocator::number));
        read.ifPresent(vni -> cache.put(linkId, vni));
        return read;
    }

    /** A {@code link-vnis/<id>} record: the VNI in decimal. */
    static int number(KeyValue kv) {
        return StoredJson.decimal(kv, FIRST, LAST);
    }

    /** A {@code vnis/<vni>} record: the id of the link holding the key's VNI. */
    static String holder(KeyValue kv) {
        String vni = kv.key().substring(Keys.VNIS.length());
        if (!vni.matches("[0-9]{1,8}")) {
            throw new IllegalArgumentException("key: '" + vni + "' is not a VNI");
        }
        if (text(kv).isEmpty()) {
            throw new IllegalArgumentException("value: the id of the link holding VNI " + vni + " is empty");
        }
        return text(kv);
    }

    /** The cursor is only a hint: when it cannot be read, the search starts again at the first VNI. */
    private int cursor() {
        return store.get(Keys.VNI_NEXT).flatMap(kv -> records.decode(kv, VniAllocator::number)).orElse(FIRST);
    }

    /** The link's VNI as stored; one whose record cannot be read gets no other, which would split the link. */
    private Optional<Integer> existing(String linkId) {
        var known = cache.get(linkId);
        if (known != null) {
            return Optional.of(known);
        }
        var stored = store.get(Keys.linkVni(linkId));
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        int vni = records.decode(stored.get(), VniAllocator::number).orElseThrow(() -> new IllegalStateException("link " + linkId
                + ": its VNI record " + Keys.linkVni(linkId) + " cannot be read; delete it to have a VNI allocated anew"));
        cache.put(linkId, vni);
        return Optional.of(vni);
    }

    /**
     * Forgets what this allocator remembers of VNIs: a link keeps its VNI for life, so it is safe to
     * remember, until the link goes (and a link of the same ends may come back with another).
     */
    public void forget(String linkId) {
        cache.remove(linkId);
    }

    public void forgetAll() {
        cache.clear();
    }

    /**
     * The link's VNI, allocated now if it has none. The cursor is a hint, written without a compare:
     * nodes allocating at once race only for the same candidate, and a loser moves past it (or to a
     * cursor that moved further) and tries again, instead of all of them fighting over the cursor.
     */
    public int allocate(String linkId) {
        int candidate = -1;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            var existing = existing(linkId);
            if (existing.isPresent()) {
                return existing.get();
            }
            int cursor = cursor();
            candidate = candidate < 0 || cursor > candidate ? cursor : next(candidate);
            var result = store.txn(
                    List.of(new Compare.Exists(Keys.link(linkId)), new Compare.Absent(Keys.linkVni(linkId)),
                            new Compare.Absent(Keys.vni(candidate))),
                    List.of(new Op.Put(Keys.vni(candidate), bytes(linkId)), new Op.Put(Keys.linkVni(linkId), bytes(Integer.toString(candidate))),
                            new Op.Put(Keys.VNI_NEXT, bytes(Integer.toString(next(candidate))))),
                    List.of());
            if (result.succeeded()) {
                cache.put(linkId, candidate);
                return candidate;
            }
            if (store.get(Keys.link(linkId)).isEmpty()) {
                throw new IllegalStateException("link " + linkId + " was removed while a VNI was being allocated for it");
            }
        }
        throw new IllegalStateException("could not allocate a VNI for link " + linkId + ": too many concurrent allocations");
    }

    private static int next(int vni) {
        return vni >= LAST ? FIRST : vni + 1;
    }

    /** The operations that free a link's VNI, for the transaction that deletes the link. */
    static List<Op> release(int vni, String linkId) {
        return List.of(new Op.Delete(Keys.vni(vni)), new Op.Delete(Keys.linkVni(linkId)));
    }

    /**
     * The same when the link's VNI record cannot be read: the VNI is found by the {@code vnis/} record
     * naming the link, among {@code vnis} (the keys under {@link Keys#VNIS}).
     */
    static List<Op> releaseUnreadable(String linkId, List<KeyValue> vnis) {
        var ops = new java.util.ArrayList<Op>(List.of(new Op.Delete(Keys.linkVni(linkId))));
        vnis.stream().filter(kv -> text(kv).equals(linkId)).forEach(kv -> ops.add(new Op.Delete(kv.key())));
        return ops;
    }

    private static String text(KeyValue kv) {
        return new String(kv.value(), StandardCharsets.UTF_8).trim();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
