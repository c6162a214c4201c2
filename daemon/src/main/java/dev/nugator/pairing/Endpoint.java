package dev.nugator.pairing;

import java.util.List;
import java.util.Optional;

/** One end of a link: which pod, which interface name there, its addresses and optional MAC. */
public record Endpoint(PodRef pod, String ifname, List<IfAddress> addresses, Optional<String> mac) {
    public Endpoint {
        addresses = List.copyOf(addresses);
    }

    /** {@code default/r1:eth1}: how messages name an endpoint. */
    public String label() {
        return pod + ":" + ifname;
    }
}
