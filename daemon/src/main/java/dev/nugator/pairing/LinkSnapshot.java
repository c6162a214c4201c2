package dev.nugator.pairing;

import java.util.List;

/** Every link and every pod attachment, as the store held them at one read: what a resync compares the kernel with. */
public record LinkSnapshot(List<LinkSpec> links, List<PodAttachment> pods) {
    public LinkSnapshot {
        links = List.copyOf(links);
        pods = List.copyOf(pods);
    }
}
