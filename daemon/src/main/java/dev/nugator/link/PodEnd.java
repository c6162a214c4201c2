package dev.nugator.link;

import dev.nugator.netlink.NetnsPath;
import dev.nugator.pairing.Endpoint;

/** A link end in its pod: what ADD reports as one of the pod's interfaces (named as the endpoint says). */
public record PodEnd(String linkId, Endpoint endpoint, NetnsPath netns, String mac) {}
