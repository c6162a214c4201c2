package dev.nugator.netlink;

import static dev.nugator.netlink.NlMsgHdr.NLM_F_ACK;
import static dev.nugator.netlink.NlMsgHdr.NLM_F_CREATE;
import static dev.nugator.netlink.NlMsgHdr.NLM_F_DUMP;
import static dev.nugator.netlink.NlMsgHdr.NLM_F_EXCL;
import static dev.nugator.netlink.NlMsgHdr.NLM_F_REPLACE;
import static dev.nugator.netlink.NlMsgHdr.NLM_F_REQUEST;

import java.lang.foreign.MemorySegment;

/**
 * Encodes tc requests: a clsact qdisc, and on its ingress one u32 filter at priority 1, protocol
 * all, that redirects every frame out of another device. Everything is addressed by ifindex, as tc
 * itself does (tcmsg has no name). The layouts are tc's own: compared with what
 * {@code tc qdisc add dev X clsact} and {@code tc filter replace dev X ingress prio 1 handle 800::800
 * protocol all u32 match u32 0 0 action mirred egress redirect dev Y} send (strace, iproute2 6.1).
 */
final class TcRequests {
    static final int CREATE = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
    /** Creates the filter, or changes it in place when its handle exists: never a moment without one. */
    static final int CREATE_OR_REPLACE = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE;
    static final int CHANGE = NLM_F_REQUEST | NLM_F_ACK;

    private static final String MIRRED = "mirred";

    private TcRequests() {}

    /** RTM_NEWQDISC tcmsg{ifindex, handle ffff:, parent clsact} TCA_KIND "clsact". */
    static MemorySegment addClsact(MessageWriter w, int seq, int ifindex) {
        w.start(Rtm.NEWQDISC, CREATE, seq).tcMsg().ifindex(ifindex).handle(Tca.CLSACT_HANDLE).parent(Tca.H_CLSACT);
        return w.string(Tca.KIND, "clsact").finish();
    }

    /**
     * <pre>
     * RTM_NEWTFILTER tcmsg{ifindex, handle 800::800, parent clsact ingress, info prio 1 | ETH_P_ALL}
     *   TCA_KIND "u32"
     *   TCA_OPTIONS
     *     TCA_U32_ACT
     *       1 (the first action)
     *         TCA_ACT_KIND "mirred"
     *         TCA_ACT_OPTIONS (flagged NLA_F_NESTED, as tc does)
     *           TCA_MIRRED_PARMS tc_mirred{action STOLEN, eaction EGRESS_REDIR, ifindex target}
     *     TCA_U32_SEL tc_u32_sel{flags TERMINAL, nkeys 1} key{mask 0, val 0, off 0}: every frame
     * </pre>
     */
    static MemorySegment redirectIngress(MessageWriter w, int seq, int ifindex, int targetIfindex) {
        w.start(Rtm.NEWTFILTER, CREATE_OR_REPLACE, seq).tcMsg().ifindex(ifindex)
                .handle(Tca.U32_HANDLE).parent(Tca.H_CLSACT_INGRESS).info(Tca.FILTER_INFO);
        w.string(Tca.KIND, "u32");
        int options = w.beginNested(Tca.OPTIONS);
        int actions = w.beginNested(Tca.U32_ACT);
        int first = w.beginNested(1);
        w.string(Tca.ACT_KIND, MIRRED);
        int mirred = w.beginNested(Tca.ACT_OPTIONS | RtAttr.NLA_F_NESTED);
        new TcMirred(w.struct(Tca.MIRRED_PARMS, TcMirred.SIZE), 0)
                .action(Tca.ACT_STOLEN).eaction(Tca.MIRRED_EGRESS_REDIRECT).ifindex(targetIfindex);
        w.endNested(mirred);
        w.endNested(first);
        w.endNested(actions);
        new U32Sel(w.struct(Tca.U32_SEL, U32Sel.size(1)), 0).flags(Tca.U32_TERMINAL).nkeys(1).key(0, 0, 0, 0);
        w.endNested(options);
        return w.finish();
    }

    /** RTM_DELTFILTER of everything at priority 1, protocol all, on clsact's ingress (no kind: any). */
    static MemorySegment deleteIngressFilter(MessageWriter w, int seq, int ifindex) {
        w.start(Rtm.DELTFILTER, CHANGE, seq).tcMsg().ifindex(ifindex)
                .parent(Tca.H_CLSACT_INGRESS).info(Tca.FILTER_INFO);
        return w.finish();
    }

    /** A dump of clsact's ingress filters; tcm_info asks the kernel to skip other priorities. */
    static MemorySegment dumpIngressFilters(MessageWriter w, int seq, int ifindex) {
        w.start(Rtm.GETTFILTER, NLM_F_REQUEST | NLM_F_DUMP, seq).tcMsg().ifindex(ifindex)
                .parent(Tca.H_CLSACT_INGRESS).info(Tca.FILTER_INFO);
        return w.finish();
    }
}
