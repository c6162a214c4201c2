package dev.nugator.link;

import dev.nugator.pairing.Endpoint;

/** A link end that is in its pod now: what ADD reports as one of the pod's interfaces. */
public record PodEnd(String linkId, Endpoint endpoint, Place.InPod place, EndInfo info) {}
