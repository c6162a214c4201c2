/**
 * rtnetlink over {@code java.lang.foreign}: links, addresses, veth pairs and VXLAN devices in any
 * network namespace, with nothing but {@code java.base}.
 *
 * <p>Entry points: {@link dev.nugator.netlink.NetNamespace} (an open namespace),
 * {@link dev.nugator.netlink.RtNetlink} (a socket bound to one namespace, for every operation),
 * {@link dev.nugator.netlink.NamespaceSwitcher} (the only code that calls setns, on its own platform
 * threads). Failures are {@link dev.nugator.netlink.NetlinkException}: operation, errno and the
 * kernel's extended-ack text. Bad input (names, MACs, prefix lengths) is an
 * IllegalArgumentException naming the field, thrown before any request.
 *
 * <p>Inside: {@code Libc} holds every downcall; {@code NlMsgHdr}, {@code RtAttr}, {@code IfInfoMsg},
 * {@code IfAddrMsg} and {@code NlMsgErr} are flyweights over {@code MemorySegment}s with their layouts
 * drawn; {@code LinkRequests} and {@code AddressRequests} encode, {@code LinkParser} and
 * {@code AddressParser} decode; {@code NetlinkSocket} sends and reads with sequence checks and
 * timeouts. Launchers need {@code --enable-native-access=ALL-UNNAMED}.
 */
package dev.nugator.netlink;
