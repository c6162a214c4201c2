package dev.nugator.pairing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every link by the pods at its ends, from one read of them all. An ADD asks for its pod's links
 * twice; finding them among hundreds, each end compared, was a quarter of an ADD's CPU in a 400-link
 * bring-up (JFR). Built again only when the list it came from is not the one read now.
 */
final class LinksByPod {
    private final List<LinkSpec> links;
    private final Map<PodRef, List<LinkSpec>> byPod = new HashMap<>();

    LinksByPod(List<LinkSpec> links) {
        this.links = links;
        for (var link : links) {
            byPod.computeIfAbsent(link.a().pod(), pod -> new ArrayList<>()).add(link);
            if (!link.b().pod().equals(link.a().pod())) {
                byPod.computeIfAbsent(link.b().pod(), pod -> new ArrayList<>()).add(link);
            }
        }
        byPod.replaceAll((pod, ofPod) -> List.copyOf(ofPod));
    }

    /** Whether this index was built from {@code read} itself (not an equal copy). */
    boolean builtFrom(List<LinkSpec> read) {
        return links == read;
    }

    /** The links with an end at {@code pod}, in the order of the list read. */
    List<LinkSpec> of(PodRef pod) {
        return byPod.getOrDefault(pod, List.of());
    }
}
