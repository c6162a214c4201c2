package dev.nugator.pairing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.Json;
import dev.nugator.store.Compare;
import dev.nugator.store.KeyValue;
import dev.nugator.store.KvStore;
import dev.nugator.store.Op;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Links (what users want) and pod attachments (where pods run) in the store. Every change is
 * one transaction that re-checks what it read, so concurrent announces, applies and ADDs never
 * lose an update or let two links claim one interface.
 */
public final class LinkRegistry {
    private static final int ATTEMPTS = 20;
    private final KvStore store;

    public LinkRegistry(KvStore store) {
        this.store = store;
    }

    public KvStore store() {
        return store;
    }

    /** The stored records that could not be read and were skipped (see {@link UnreadableRecord}); none yet. */
    public List<UnreadableRecord> unreadable() {
        return List.of();
    }

    public List<LinkSpec> links() {
        return store.range(Keys.LINKS).stream().map(kv -> LinkJson.read(tree(kv))).toList();
    }

    public List<LinkSpec> linksOf(PodRef pod) {
        return links().stream().filter(l -> l.sideOf(pod).isPresent()).toList();
    }

    /** The links whose id starts with {@code prefix} (a panel name carries only a prefix of it). */
    public List<LinkSpec> linksWithPrefix(String prefix) {
        return store.range(Keys.LINKS + prefix).stream().map(kv -> LinkJson.read(tree(kv))).toList();
    }

    /** Every link and attachment, for a resync. */
    public LinkSnapshot snapshot() {
        return new LinkSnapshot(links(), attachments());
    }

    public Optional<LinkSpec> link(String id) {
        return store.get(Keys.link(id)).map(kv -> LinkJson.read(tree(kv)));
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

    public List<String> topologyLinks(String name) {
        return store.get(Keys.topology(name))
                .map(kv -> {
                    var ids = new ArrayList<String>();
                    tree(kv).path("links").forEach(id -> ids.add(id.asText()));
                    return (List<String>) ids;
                })
                .orElse(List.of());
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
                ops.addAll(VniAllocator.release(Integer.parseInt(new String(vni.value(), StandardCharsets.UTF_8).trim()), id));
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

    public Optional<PodAttachment> attachment(PodRef pod) {
        return store.get(Keys.pod(pod)).map(kv -> PodAttachment.fromJson(tree(kv)));
    }

    public List<PodAttachment> attachments() {
        return store.range(Keys.PODS).stream().map(kv -> PodAttachment.fromJson(tree(kv))).toList();
    }

    /** Records where the pod runs now; a restarted pod's new container replaces the old one. Returns the write's revision. */
    public long attach(PodAttachment attachment) {
        return store.put(Keys.pod(attachment.pod()), bytes(attachment.toJson()));
    }

    /**
     * Forgets the pod, but only if {@code containerId} is still its container (a restart may have
     * replaced it). Returns the delete's revision, empty when there was nothing to forget.
     */
    public java.util.OptionalLong detach(PodRef pod, String containerId) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            var current = store.get(Keys.pod(pod));
            if (current.isEmpty() || !PodAttachment.fromJson(tree(current.get())).containerId().equals(containerId)) {
                return java.util.OptionalLong.empty();
            }
            var result = store.txn(List.of(new Compare.ModRevision(Keys.pod(pod), current.get().modRevision())),
                    List.of(new Op.Delete(Keys.pod(pod))), List.of());
            if (result.succeeded()) {
                return java.util.OptionalLong.of(result.revision());
            }
        }
        throw new IllegalStateException("could not detach " + pod + ": too many concurrent changes");
    }

    static ObjectNode tree(KeyValue kv) {
        return dev.nugator.cni.Json.parseObject(kv.value(), kv.key());
    }

    static byte[] bytes(ObjectNode json) {
        return Json.text(json).getBytes(StandardCharsets.UTF_8);
    }
}
