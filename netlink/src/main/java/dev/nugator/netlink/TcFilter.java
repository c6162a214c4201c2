package dev.nugator.netlink;

/**
 * One entry of a filter dump. A u32 filter comes as several: the classifier itself (handle 0), its
 * hash table (800:) and then each of its nodes (800::800), which alone carry a selector and actions.
 *
 * @param handle           the entry's handle (for u32: table, bucket and node)
 * @param prio             the priority, the high half of tcm_info
 * @param protocol         the protocol as tcm_info holds it (network order: ETH_P_ALL is 0x0300)
 * @param kind             the classifier, "u32"; empty when the entry carries none
 * @param redirectIfindex  the target of its first mirred egress redirect; 0 when it has none
 */
record TcFilter(int handle, int prio, int protocol, String kind, int redirectIfindex) {
    /** What a message too short for its tcmsg decodes to: it matches nothing. */
    static final TcFilter MALFORMED = new TcFilter(0, 0, 0, "", 0);

    /** Ours: the u32 filter at priority 1, protocol all, that sends frames out of another device. */
    boolean isIngressRedirect() {
        return prio == Tca.FILTER_PRIO && protocol == Tca.PROTOCOL_ALL && kind.equals("u32") && redirectIfindex > 0;
    }
}
