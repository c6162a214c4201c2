/**
 * rtnetlink over {@code java.lang.foreign}: links, addresses, veth pairs, VXLAN devices and tc
 * ingress redirects in any network namespace, with nothing but {@code java.base}.
 *
 * <p>Entry points: {@link dev.nugator.netlink.NetNamespace} (an open namespace; also makes, adopts
 * and removes namespaces bound to files, as {@code ip netns add/del} do),
 * {@link dev.nugator.netlink.RtNetlink} (a socket bound to one namespace, for every operation),
 * {@link dev.nugator.netlink.NamespaceSwitcher} (the only code that calls setns and unshare, on its
 * own platform threads). Failures are {@link dev.nugator.netlink.NetlinkException}: operation,
 * errno and the kernel's extended-ack text. Bad input (names, MACs, prefix lengths, groups, interface
 * indexes) is an IllegalArgumentException naming the field, thrown before any request.
 *
 * <p>Inside: {@code Libc} holds every downcall; {@code NlMsgHdr}, {@code RtAttr}, {@code IfInfoMsg},
 * {@code IfAddrMsg}, {@code TcMsg}, {@code U32Sel}, {@code TcMirred} and {@code NlMsgErr} are
 * flyweights over {@code MemorySegment}s with their layouts drawn; {@code LinkRequests},
 * {@code AddressRequests} and {@code TcRequests} encode, {@code LinkParser}, {@code AddressParser}
 * and {@code TcFilterParser} decode; {@code VethCreation} orders a veth's creation around what the
 * kernel brings up; {@code NamespaceMounts} binds namespaces to files; {@code NetlinkSocket} sends
 * and reads with sequence checks and timeouts. Launchers need
 * {@code --enable-native-access=ALL-UNNAMED}.
 */
package dev.nugator.netlink;
