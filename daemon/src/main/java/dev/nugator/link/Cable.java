package dev.nugator.link;

import dev.nugator.pairing.Side;

/** How the panel connects a link's ends on this node. */
sealed interface Cable {
    /** Both ends run here: port to port. */
    record Local() implements Cable {}

    /** The end at {@code side} runs here, the other on another node: port to the link's VXLAN device. */
    record Tunnel(Side side, VxlanEnd end, int mtu) implements Cable {}

    /** Nothing to connect to (the peer runs nowhere, or its node is unknown): the ports here wait, down. */
    record Open(String why) implements Cable {}
}
