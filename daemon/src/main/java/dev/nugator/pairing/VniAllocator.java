package dev.nugator.pairing;

import dev.nugator.store.KeyValue;
import dev.nugator.store.KvStore;
import dev.nugator.store.Op;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Gives each link that crosses nodes a VNI of its own. Allocation is a transaction that claims
 * {@code vnis/<vni>} only while it is free, records {@code link-vnis/<link>} only while the link has
 * none and only while the link exists: two nodes allocating for one link at once agree on one VNI,
 * and two links never share one. The search starts at a VNI drawn from the link's id ({@link #home}),
 * so nodes allocating for different links at once seldom compete. The link's deletion frees both keys in its
 * own transaction (see {@link LinkRegistry}), so a VNI is reused only after its link is gone. An
 * ADD claims the VNIs its pod's links need in the transaction that records the pod ({@link #propose}),
 * so that the peer's node sees the pod and the VNI at once.
 */
public final class VniAllocator {
    public static final int FIRST = 4096;
    public static final int LAST = (1 << 24) - 1;
    private static final int ATTEMPTS = 64;
    /** How far past a link's home VNI a proposal looks for a free VNI before it tries one that may be taken. */
    private static final int SCAN = 1 << 16;
    private final KvStore store;
    private final UnreadableRecords records;
    private final java.util.Map<String, Integer> cache = new java.util.concurrent.ConcurrentHashMap<>();
    /** VNIs proposed to callers here whose transactions are not over: two ADDs here never race for one. */
    private final java.util.Set<Integer> proposed = new java.util.HashSet<>();

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

    /**
     * Where the search for the link's VNI starts: a number drawn from its id (String.hashCode is
     * fixed by the language), so that nodes allocating for different links at once seldom want the
     * same VNI, and a link made again gets its old VNI back when it is free.
     */
    static int home(String linkId) {
        return FIRST + (int) (Integer.toUnsignedLong(linkId.hashCode()) % (LAST - FIRST + 1));
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
     * The link's VNI, allocated now if it has none, in a transaction of its own (an ADD claims the
     * VNIs its links need in its own transaction instead: {@link #propose}). On a conflict the keys
     * compared are read again and the next free VNI is tried.
     */
    public int allocate(String linkId) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            var existing = existing(linkId);
            if (existing.isPresent()) {
                return existing.get();
            }
            var claims = propose(List.of(linkId));
            try {
                if (store.txn(claims.compares(), claims.ops(), List.of()).succeeded()) {
                    claimed(claims);
                    return claims.claims().getFirst().vni();
                }
            } finally {
                settle(claims);
            }
            if (store.get(Keys.link(linkId)).isEmpty()) {
                throw new IllegalStateException("link " + linkId + " was removed while a VNI was being allocated for it");
            }
        }
        throw new IllegalStateException("could not allocate a VNI for link " + linkId + ": too many concurrent allocations");
    }

    /**
     * Free VNIs for these links (none of which has one yet), to be claimed in the caller's
     * transaction with {@link VniClaims#compares} and {@link VniClaims#ops}: for each, the first at
     * or after its {@link #home} that is free as far as this node knows and not proposed to another
     * caller here that has not settled yet. Call {@link #claimed} when the transaction succeeded and {@link #settle} after it.
     */
    public VniClaims propose(List<String> linkIds) {
        if (linkIds.isEmpty()) {
            return VniClaims.NONE;
        }
        var claims = new java.util.ArrayList<VniClaims.Claim>();
        synchronized (proposed) {
            for (var linkId : linkIds) {
                int candidate = home(linkId);
                for (int step = 0; step < SCAN && (proposed.contains(candidate) || store.get(Keys.vni(candidate)).isPresent()); step++) {
                    candidate = next(candidate);
                }
                proposed.add(candidate);
                claims.add(new VniClaims.Claim(linkId, candidate));
            }
        }
        return new VniClaims(claims);
    }

    /** The claims' transaction succeeded: the links hold those VNIs. */
    public void claimed(VniClaims claims) {
        claims.claims().forEach(c -> cache.put(c.linkId(), c.vni()));
    }

    /** The claims' transaction is over, whatever its outcome: their VNIs may be proposed again (if still free). */
    public void settle(VniClaims claims) {
        synchronized (proposed) {
            claims.claims().forEach(c -> proposed.remove(c.vni()));
        }
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
}
