package dev.nugator.pairing;

import dev.nugator.pairing.LinkStatus.EndStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Link status as the store alone tells it, for {@code nugatorctl --etcd}, which sees no node's
 * kernel: where each end's pod runs, and the errors nodes reported. A link whose pods both run and
 * for which no node reports an error counts as up.
 */
public final class StoreLinkStatus implements LinkStatusSource {
    private final LinkRegistry registry;

    public StoreLinkStatus(LinkRegistry registry) {
        this.registry = registry;
    }

    @Override
    public List<LinkStatus> status() {
        var errors = new LinkErrors(registry.store()).byLink();
        var vnis = new VniAllocator(registry.store());
        var result = new ArrayList<LinkStatus>();
        for (var link : registry.links()) {
            var a = end(link.a());
            var b = end(link.b());
            result.add(LinkStatus.of(link, a, b, Optional.ofNullable(errors.get(link.id())), vnis.find(link.id())));
        }
        return result;
    }

    private EndStatus end(Endpoint endpoint) {
        return registry.attachment(endpoint.pod())
                .map(pod -> new EndStatus("remote", "on node " + pod.node(), pod.node(), ""))
                .orElseGet(() -> EndStatus.pending(endpoint.pod()));
    }
}
