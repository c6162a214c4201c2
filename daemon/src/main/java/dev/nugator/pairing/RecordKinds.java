package dev.nugator.pairing;

import dev.nugator.store.KeyValue;

/** Which reader reads which key (see {@link Keys}): used to find every stored record that cannot be read. */
final class RecordKinds {
    private RecordKinds() {}

    /** Reads the record as its kind; an IllegalArgumentException (or another failure to read) when it cannot be. */
    static Object check(KeyValue kv) {
        String key = kv.key();
        if (key.startsWith(Keys.LINKS)) {
            return LinkJson.read(kv);
        } else if (key.startsWith(Keys.PODS)) {
            return PodAttachment.read(kv);
        } else if (key.startsWith(Keys.NODES)) {
            return NodeRecord.read(kv);
        } else if (key.startsWith(Keys.TOPOLOGIES)) {
            return LinkRegistry.topologyIds(kv);
        } else if (key.startsWith(Keys.ERRORS)) {
            return LinkErrors.Entry.read(kv);
        } else if (key.startsWith(Keys.LINK_VNIS) || key.equals(Keys.VNI_NEXT)) {
            return VniAllocator.number(kv);
        } else if (key.startsWith(Keys.VNIS)) {
            return VniAllocator.holder(kv);
        }
        return kv;   // links-version, whose value means nothing, and keys of later layouts
    }
}
