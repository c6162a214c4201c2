package dev.nugator.netlink;

/**
 * Traffic-control numbers: tc attributes (linux/rtnetlink.h), handles (linux/pkt_sched.h), the u32
 * classifier and actions (linux/pkt_cls.h) and mirred (linux/tc_act/tc_mirred.h). Each checked
 * against the kernel's UAPI headers and against what iproute2's tc sends.
 */
final class Tca {
    static final int KIND = 1;
    static final int OPTIONS = 2;

    /** clsact sits where ingress does, at parent TC_H_CLSACT (= TC_H_INGRESS), with handle ffff:. */
    static final int H_CLSACT = 0xFFFFFFF1;
    static final int CLSACT_HANDLE = 0xFFFF0000;
    /** TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS): the parent of clsact's ingress filters. */
    static final int H_CLSACT_INGRESS = 0xFFFFFFF2;

    /** ETH_P_ALL as tcm_info carries it: htons(0x0003) in the low 16 bits. */
    static final int PROTOCOL_ALL = 0x0300;
    /** Every filter of ours sits at this priority: one place to replace, delete and read. */
    static final int FILTER_PRIO = 1;
    /** tcm_info of a filter: priority in the high 16 bits, protocol in the low 16. */
    static final int FILTER_INFO = FILTER_PRIO << 16 | PROTOCOL_ALL;

    static final int U32_SEL = 5;
    static final int U32_ACT = 7;
    /** u32 handle 800::800: hash table 800 (the one the kernel makes), bucket 0, node 800. */
    static final int U32_HANDLE = 0x80000800;
    /** tc_u32_sel.flags: the match is final; tc sets it whenever an action follows. */
    static final int U32_TERMINAL = 1;

    /** An action list holds its actions under attribute types 1.. (their order), at most 32. */
    static final int ACT_MAX_PRIO = 32;
    static final int ACT_KIND = 1;
    static final int ACT_OPTIONS = 2;
    /** What happens to the packet after the action: mirred redirect takes it (stolen). */
    static final int ACT_STOLEN = 4;

    static final int MIRRED_PARMS = 2;
    static final int MIRRED_EGRESS_REDIRECT = 1;

    private Tca() {}
}
