package dev.nugator.netlink;

import static dev.nugator.netlink.NlMsgHdr.NLM_F_ACK;
import static dev.nugator.netlink.NlMsgHdr.NLM_F_CREATE;
import static dev.nugator.netlink.NlMsgHdr.NLM_F_DUMP;
import static dev.nugator.netlink.NlMsgHdr.NLM_F_EXCL;
import static dev.nugator.netlink.NlMsgHdr.NLM_F_REQUEST;

import java.lang.foreign.MemorySegment;

/**
 * Encodes RTM_*LINK requests. Changes to an existing device go as RTM_NEWLINK without
 * NLM_F_CREATE and with ifi_index 0, so the kernel finds the device by IFLA_IFNAME and answers
 * ENODEV when it is missing: one round trip, no index lookup. Only renames need the index, since
 * there IFLA_IFNAME carries the new name.
 */
final class LinkRequests {
    static final int CREATE = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
    static final int CHANGE = NLM_F_REQUEST | NLM_F_ACK;

    private LinkRequests() {}

    /** Reads skip the counters (as iproute2's lookups do): half the reply, and the kernel's work. */
    static MemorySegment dump(MessageWriter w, int seq) {
        w.start(Rtm.GETLINK, NLM_F_REQUEST | NLM_F_DUMP, seq).ifInfoMsg();
        return w.u32(Ifla.EXT_MASK, Ifla.RTEXT_FILTER_SKIP_STATS).finish();
    }

    static MemorySegment getByName(MessageWriter w, int seq, String name) {
        w.start(Rtm.GETLINK, NLM_F_REQUEST, seq).ifInfoMsg();
        return w.u32(Ifla.EXT_MASK, Ifla.RTEXT_FILTER_SKIP_STATS).string(Ifla.IFNAME, name).finish();
    }

    static MemorySegment getByIndex(MessageWriter w, int seq, int index) {
        w.start(Rtm.GETLINK, NLM_F_REQUEST, seq).ifInfoMsg().index(index);
        return w.u32(Ifla.EXT_MASK, Ifla.RTEXT_FILTER_SKIP_STATS).finish();
    }

    /**
     * <pre>
     * RTM_NEWLINK ifinfomsg[IFF_UP] IFLA_IFNAME [IFLA_MTU] [IFLA_ADDRESS] [IFLA_NET_NS_FD] [IFLA_GROUP]
     *   IFLA_LINKINFO
     *     IFLA_INFO_KIND "veth"
     *     IFLA_INFO_DATA
     *       VETH_INFO_PEER ifinfomsg IFLA_IFNAME [IFLA_MTU] [IFLA_ADDRESS] [IFLA_NET_NS_FD] [IFLA_GROUP]
     * </pre>
     * Only the first end's ifinfomsg carries IFF_UP: the kernel configures the peer before the two
     * are tied, and a veth without its peer refuses to open (ENOTCONN, whether from us or from
     * {@code ip link add ... peer name X up}). {@code spec.peerAdminUp()} is therefore not encoded here;
     * {@link VethCreation} orders the ends and brings the peer up after.
     */
    static MemorySegment newVeth(MessageWriter w, int seq, VethSpec spec) {
        return newVeth(w, seq, spec, false);
    }

    /** {@code echo}: the kernel (6.2 and later) sends back the first end as made, with its index and its peer's. */
    static MemorySegment newVeth(MessageWriter w, int seq, VethSpec spec, boolean echo) {
        IfInfoMsg first = w.start(Rtm.NEWLINK, echo ? CREATE | NlMsgHdr.NLM_F_ECHO : CREATE, seq).ifInfoMsg();
        if (spec.adminUp()) {
            first.flags(IfInfoMsg.IFF_UP).change(IfInfoMsg.IFF_UP);
        }
        endAttributes(w, spec.name(), spec.mtu(), spec.mac(), spec.netns(), spec.group());
        int linkInfo = w.beginNested(Ifla.LINKINFO);
        w.string(Ifla.INFO_KIND, "veth");
        int data = w.beginNested(Ifla.INFO_DATA);
        int peer = w.beginNested(Ifla.VETH_INFO_PEER);
        w.ifInfoMsg();
        endAttributes(w, spec.peerName(), spec.mtu(), spec.peerMac(), spec.peerNetns(), spec.peerGroup());
        w.endNested(peer);
        w.endNested(data);
        w.endNested(linkInfo);
        return w.finish();
    }

    static MemorySegment newVxlan(MessageWriter w, int seq, VxlanSpec spec) {
        w.start(Rtm.NEWLINK, CREATE, seq).ifInfoMsg();
        w.string(Ifla.IFNAME, spec.name());
        if (spec.mtu() > 0) {
            w.u32(Ifla.MTU, spec.mtu());
        }
        if (spec.mac() != null) {
            w.bytes(Ifla.ADDRESS, MacAddress.parse("mac", spec.mac()));
        }
        if (spec.netns() != null) {
            w.u32(Ifla.NET_NS_FD, spec.netns().fd());
        }
        int linkInfo = w.beginNested(Ifla.LINKINFO);
        w.string(Ifla.INFO_KIND, "vxlan");
        int data = w.beginNested(Ifla.INFO_DATA);
        VxlanAttributes.write(w, spec);
        w.endNested(data);
        w.endNested(linkInfo);
        return w.finish();
    }

    /** A device of a kind that needs no IFLA_INFO_DATA (bridge, dummy). */
    static MemorySegment newLink(MessageWriter w, int seq, String name, String kind) {
        w.start(Rtm.NEWLINK, CREATE, seq).ifInfoMsg();
        w.string(Ifla.IFNAME, name);
        int linkInfo = w.beginNested(Ifla.LINKINFO);
        w.string(Ifla.INFO_KIND, kind);
        w.endNested(linkInfo);
        return w.finish();
    }

    /** Changes only the remote: the kernel starts from the device's current config (changelink). */
    static MemorySegment setVxlanRemote(MessageWriter w, int seq, String name, java.net.InetAddress remote) {
        w.start(Rtm.NEWLINK, CHANGE, seq).ifInfoMsg();
        w.string(Ifla.IFNAME, name);
        int linkInfo = w.beginNested(Ifla.LINKINFO);
        w.string(Ifla.INFO_KIND, "vxlan");
        int data = w.beginNested(Ifla.INFO_DATA);
        VxlanAttributes.writeRemote(w, remote);
        w.endNested(data);
        w.endNested(linkInfo);
        return w.finish();
    }

    static MemorySegment setUp(MessageWriter w, int seq, String name, boolean up) {
        w.start(Rtm.NEWLINK, CHANGE, seq).ifInfoMsg()
                .flags(up ? IfInfoMsg.IFF_UP : 0).change(IfInfoMsg.IFF_UP);
        return w.string(Ifla.IFNAME, name).finish();
    }

    /** Moves the interface into interface group {@code group} (0: the default one) and sets it up or down, in one request. */
    static MemorySegment setGroup(MessageWriter w, int seq, String name, int group, boolean up) {
        w.start(Rtm.NEWLINK, CHANGE, seq).ifInfoMsg()
                .flags(up ? IfInfoMsg.IFF_UP : 0).change(IfInfoMsg.IFF_UP);
        return w.string(Ifla.IFNAME, name).u32(Ifla.GROUP, group).finish();
    }

    static MemorySegment setMtu(MessageWriter w, int seq, String name, int mtu) {
        w.start(Rtm.NEWLINK, CHANGE, seq).ifInfoMsg();
        return w.string(Ifla.IFNAME, name).u32(Ifla.MTU, mtu).finish();
    }

    static MemorySegment setAlias(MessageWriter w, int seq, String name, String alias) {
        w.start(Rtm.NEWLINK, CHANGE, seq).ifInfoMsg();
        return w.string(Ifla.IFNAME, name).string(Ifla.IFALIAS, alias).finish();
    }

    static MemorySegment setMac(MessageWriter w, int seq, String name, String mac) {
        w.start(Rtm.NEWLINK, CHANGE, seq).ifInfoMsg();
        return w.string(Ifla.IFNAME, name).bytes(Ifla.ADDRESS, MacAddress.parse("mac", mac)).finish();
    }

    /** masterIndex 0 releases the device from its master. */
    static MemorySegment setMaster(MessageWriter w, int seq, String name, int masterIndex) {
        w.start(Rtm.NEWLINK, CHANGE, seq).ifInfoMsg();
        return w.string(Ifla.IFNAME, name).u32(Ifla.MASTER, masterIndex).finish();
    }

    static MemorySegment rename(MessageWriter w, int seq, int index, String newName) {
        w.start(Rtm.NEWLINK, CHANGE, seq).ifInfoMsg().index(index);
        return w.string(Ifla.IFNAME, newName).finish();
    }

    /** Moves by name, keeping it. */
    static MemorySegment move(MessageWriter w, int seq, String name, int netnsFd) {
        w.start(Rtm.NEWLINK, CHANGE, seq).ifInfoMsg();
        return w.string(Ifla.IFNAME, name).u32(Ifla.NET_NS_FD, netnsFd).finish();
    }

    /** Moves and renames in one request: the new name is checked in the target namespace. */
    static MemorySegment moveRenamed(MessageWriter w, int seq, int index, int netnsFd, String newName) {
        w.start(Rtm.NEWLINK, CHANGE, seq).ifInfoMsg().index(index);
        return w.string(Ifla.IFNAME, newName).u32(Ifla.NET_NS_FD, netnsFd).finish();
    }

    static MemorySegment delete(MessageWriter w, int seq, String name) {
        w.start(Rtm.DELLINK, CHANGE, seq).ifInfoMsg();
        return w.string(Ifla.IFNAME, name).finish();
    }

    /**
     * Deletes every interface of {@code group} in the socket's namespace (a veth takes its peer,
     * wherever that is): ifi_index 0 and no IFLA_IFNAME make the kernel go by IFLA_GROUP alone.
     */
    static MemorySegment deleteGroup(MessageWriter w, int seq, int group) {
        w.start(Rtm.DELLINK, CHANGE, seq).ifInfoMsg();
        return w.u32(Ifla.GROUP, group).finish();
    }

    private static void endAttributes(MessageWriter w, String name, int mtu, String mac, NetNamespace netns,
                                      int group) {
        w.string(Ifla.IFNAME, name);
        if (mtu > 0) {
            w.u32(Ifla.MTU, mtu);
        }
        if (mac != null) {
            w.bytes(Ifla.ADDRESS, MacAddress.parse("mac", mac));
        }
        if (netns != null) {
            w.u32(Ifla.NET_NS_FD, netns.fd());
        }
        if (group != 0) {
            w.u32(Ifla.GROUP, group);
        }
    }
}
