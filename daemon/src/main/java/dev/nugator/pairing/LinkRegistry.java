package dev.nugator.pairing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.Json;
import dev.nugator.store.Compare;
import dev.nugator.store.KeyValue;
import dev.nugator.store.KvStore;
import dev.nugator.store.Op;
import dev.nugator.store.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Links (what users want) and pod attachments (where pods run) in the store. Every change is
 * one transaction that re-checks what it read, so concurrent announces, applies and ADDs never
 * lose an update or let two links claim one interface.
 */
public final class LinkRegistry {
    private static final int ATTEMPTS = 20;
    private final KvStore store;
    private final UnreadableRecords records;
    private final StoreChanges changes;
    private final DecodedRecords<LinkSpec> linkRecords;
    private final DecodedRecords<PodAttachment> podRecords;
    private volatile LinksByPod byPod = new LinksByPod(List.of());

    public LinkRegistry(KvStore store) {
        this.store = store;
        this.records = UnreadableRecords.of(store);
        this.changes = new StoreChanges(records);
        this.linkRecords = new DecodedRecords<>(records, LinkJson::read);
        this.podRecords = new DecodedRecords<>(records, PodAttachment::read);
    }

    public KvStore store() {
        return store;
    }

    /**
     * Every stored record that cannot be read now, by key (see {@link UnreadableRecord}): read
     * afresh from the store itself (not a copy in memory), so that a record damaged, fixed or
     * deleted since is seen as it is.
     */
    public List<UnreadableRecord> unreadable() {
        return records.scan(store.direct().range(Keys.ROOT));
    }

    /** Decodes one event of a watch on the store; an event that cannot be read is {@link StoreChange.Unreadable}. */
    public StoreChange change(WatchEvent event) {
        return changes.decode(event);
    }

    /** Every link that can be read; the others are skipped (see {@link #unreadable}). */
    public List<LinkSpec> links() {
        return linkRecords.decodeAll(store.range(Keys.LINKS), true);
    }

    /** The links with an end at {@code pod}. */
    public List<LinkSpec> linksOf(PodRef pod) {
        var links = links();
        var index = byPod;
        if (!index.builtFrom(links)) {
            index = new LinksByPod(links);
            byPod = index;
        }
        return index.of(pod);
    }

    /** The links whose id starts with {@code prefix} (a panel name carries only a prefix of it). */
    public List<LinkSpec> linksWithPrefix(String prefix) {
        return linkRecords.decodeAll(store.range(Keys.LINKS + prefix), false);
    }

    /** Every link and attachment, for a resync. */
    public LinkSnapshot snapshot() {
        return new LinkSnapshot(links(), attachments());
    }

    public Optional<LinkSpec> link(String id) {
        return store.get(Keys.link(id)).flatMap(linkRecords::decode);
    }

    /** Adds or updates one announced link. */
    public LinkSpec announce(LinkSpec link) {
        write(List.of(link), Set.of(), link.source(), Optional.empty());
        return link;
    }

    /** Makes the topology's links exactly those of the file; returns how many were removed. */
    public int apply(Topology topology) {
        var previous = topologyLinks(topology.name());
        var keep = topology.links().stream().map(LinkSpec::id).toList();
        var removed = new LinkedHashSet<>(previous);
        removed.removeAll(keep);
        write(topology.links(), removed, topology.source(), Optional.of(topology));
        return removed.size();
    }

    /** Removes a topology and its links; returns how many links went. */
    public int deleteTopology(String name) {
        var ids = topologyLinks(name);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            var version = store.get(Keys.LINKS_VERSION).map(KeyValue::modRevision).orElse(0L);
            var write = new LinkWrite();
            removeLinks(ids, write);
            write.addLast(new Op.Delete(Keys.topology(name)));
            if (write.commit(store, version)) {
                return ids.size();
            }
        }
        throw new IllegalStateException("could not delete topology " + name + ": too many concurrent changes");
    }

    public List<String> topologyNames() {
        return store.range(Keys.TOPOLOGIES).stream().map(kv -> kv.key().substring(Keys.TOPOLOGIES.length())).toList();
    }

    /**
     * The ids of the topology's links. When its record cannot be read, they are the links that
     * name it as their source, so that applying or deleting it still removes the right links.
     */
    public List<String> topologyLinks(String name) {
        var stored = store.get(Keys.topology(name));
        if (stored.isEmpty()) {
            return List.of();
        }
        return records.decode(stored.get(), LinkRegistry::topologyIds).orElseGet(() -> links().stream()
                .filter(l -> l.source().equals(Topology.sourceOf(name))).map(LinkSpec::id).toList());
    }

    /** A {@code topologies/<name>} record: {@code {"name", "links": [ids]}}. */
    static List<String> topologyIds(KeyValue kv) {
        var links = StoredJson.object(kv).get("links");
        if (links == null || !links.isArray()) {
            throw new IllegalArgumentException("links: is required (a list of link ids)");
        }
        var ids = new ArrayList<String>();
        for (var id : links) {
            if (!id.isTextual()) {
                throw new IllegalArgumentException("links[" + ids.size() + "]: must be a link id, not " + id);
            }
            ids.add(id.asText());
        }
        return ids;
    }

    private void write(List<LinkSpec> links, Set<String> removed, String source, Optional<Topology> topology) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            var version = store.get(Keys.LINKS_VERSION).map(KeyValue::modRevision).orElse(0L);
            var existing = new HashMap<String, LinkSpec>();
            links().forEach(l -> existing.put(l.id(), l));
            checkOwnership(links, removed, source, existing);
            var write = new LinkWrite();
            links.forEach(l -> write.add(List.of(), List.of(new Op.Put(Keys.link(l.id()), bytes(LinkJson.write(l))))));
            removeLinks(removed, write);
            topology.ifPresent(t -> write.addLast(new Op.Put(Keys.topology(t.name()), bytes(topologyRecord(t)))));
            if (write.commit(store, version)) {
                return;
            }
        }
        throw new IllegalStateException("could not write links: too many concurrent changes");
    }

    /**
     * A removed link's VNI goes with it, in its chunk, which holds only if no node allocated one for
     * it since it was read here (else the VNI would outlive its link).
     */
    private void removeLinks(java.util.Collection<String> ids, LinkWrite write) {
        var vnis = new HashMap<String, KeyValue>();
        store.range(Keys.LINK_VNIS).forEach(kv -> vnis.put(kv.key().substring(Keys.LINK_VNIS.length()), kv));
        for (String id : ids) {
            var vni = vnis.get(id);
            var ops = new ArrayList<Op>(List.of(new Op.Delete(Keys.link(id))));
            if (vni != null) {
                ops.addAll(records.decode(vni, VniAllocator::number).map(n -> VniAllocator.release(n, id))
                        .orElseGet(() -> VniAllocator.releaseUnreadable(id, store.range(Keys.VNIS))));
                write.add(List.of(new Compare.ModRevision(Keys.linkVni(id), vni.modRevision())), ops);
            } else {
                write.add(List.of(new Compare.Absent(Keys.linkVni(id))), ops);
            }
        }
    }

    /** A link belongs to one source, and an interface to one link. */
    private static void checkOwnership(List<LinkSpec> links, Set<String> removed, String source, Map<String, LinkSpec> existing) {
        var problems = new ArrayList<String>();
        var ends = new HashMap<String, LinkSpec>();
        existing.values().stream()
                .filter(l -> !removed.contains(l.id()) && !(l.source().equals(source) && links.stream().anyMatch(n -> n.id().equals(l.id()))))
                .forEach(l -> {
                    ends.put(l.a().label(), l);
                    ends.put(l.b().label(), l);
                });
        for (var link : links) {
            var old = existing.get(link.id());
            if (old != null && !old.source().equals(source)) {
                problems.add(link.label() + " is already defined by " + old.source());
                continue;
            }
            for (var side : Side.values()) {
                var other = ends.get(link.end(side).label());
                if (other != null && !other.id().equals(link.id())) {
                    problems.add(link.end(side).label() + " is already the end of " + other.label() + " (" + other.source() + ")");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidLinksException(problems);
        }
    }

    private static ObjectNode topologyRecord(Topology topology) {
        var json = Json.MAPPER.createObjectNode().put("name", topology.name());
        var ids = json.putArray("links");
        topology.links().forEach(l -> ids.add(l.id()));
        return json;
    }

    /** Where the pod runs; empty also when its record cannot be read (an ADD then writes it anew). */
    public Optional<PodAttachment> attachment(PodRef pod) {
        return store.get(Keys.pod(pod)).flatMap(podRecords::decode);
    }

    public List<PodAttachment> attachments() {
        return podRecords.decodeAll(store.range(Keys.PODS), true);
    }

    /** The pods at the other ends of {@code links} from {@code pod}, with their records' revisions. */
    public PeerRecords peers(PodRef pod, List<LinkSpec> links) {
        var revisions = new HashMap<PodRef, Long>();
        var attached = new HashMap<PodRef, PodAttachment>();
        for (var link : links) {
            var peer = link.sideOf(pod).map(side -> link.end(side.other()).pod());
            if (peer.isEmpty() || peer.get().equals(pod) || revisions.containsKey(peer.get())) {
                continue;
            }
            var stored = store.get(Keys.pod(peer.get()));
            revisions.put(peer.get(), stored.map(KeyValue::modRevision).orElse(0L));
            stored.flatMap(podRecords::decode).ifPresent(a -> attached.put(peer.get(), a));
        }
        return new PeerRecords(revisions, attached);
    }

    /** Records where the pod runs now; a restarted pod's new container replaces the old one. Returns the write's revision. */
    public long attach(PodAttachment attachment) {
        return attach(attachment, VniClaims.NONE, PeerRecords.NONE).orElseThrow();
    }

    /**
     * The same, in one transaction with the VNIs its links need ({@link VniAllocator#propose}): the
     * pod is recorded only if every claim holds and no peer's record changed since {@code peers} was
     * read. Returns the write's revision, empty when either failed (another node took the VNI, gave
     * the link one, or recorded a peer first); the keys compared are then read again.
     */
    public OptionalLong attach(PodAttachment attachment, VniClaims vnis, PeerRecords peers) {
        var ops = new ArrayList<Op>(vnis.ops());
        ops.add(new Op.Put(Keys.pod(attachment.pod()), bytes(attachment.toJson())));
        var compares = new ArrayList<Compare>(vnis.compares());
        compares.addAll(peers.compares());
        var result = store.txn(compares, ops, List.of());
        return result.succeeded() ? OptionalLong.of(result.revision()) : OptionalLong.empty();
    }

    /**
     * Forgets the pod, but only if {@code containerId} is still its container (a restart may have
     * replaced it; a record that cannot be read may be a newer container's). Returns the delete's
     * revision, empty when there was nothing to forget.
     */
    public OptionalLong detach(PodRef pod, String containerId) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            var current = store.get(Keys.pod(pod));
            if (current.isEmpty() || !podRecords.decode(current.get()).map(PodAttachment::containerId)
                    .orElse("").equals(containerId)) {
                return OptionalLong.empty();
            }
            var result = store.txn(List.of(new Compare.ModRevision(Keys.pod(pod), current.get().modRevision())),
                    List.of(new Op.Delete(Keys.pod(pod))), List.of());
            if (result.succeeded()) {
                return OptionalLong.of(result.revision());
            }
        }
        throw new IllegalStateException("could not detach " + pod + ": too many concurrent changes");
    }

    static byte[] bytes(ObjectNode json) {
        return Json.text(json).getBytes(StandardCharsets.UTF_8);
    }
}
