package dev.nugator.netlink;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * rtnetlink for one network namespace: read and change links and addresses there. The socket is
 * bound to the namespace it was opened in, so every call acts there whatever thread makes it; no
 * call switches namespaces. Thread-safe: requests on one instance are serialized.
 *
 * <p>Every change waits for the kernel's ACK; a refusal throws {@link NetlinkException} with the
 * operation, the errno and the kernel's own message. Names are checked before any request.
 */
public final class RtNetlink implements AutoCloseable {
    /** How long any one request may wait for its reply. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final NetlinkSocket socket;

    private RtNetlink(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** A socket in the calling thread's namespace (the process's, on any thread but a switcher's). */
    public static RtNetlink open() {
        return new RtNetlink(NetlinkSocket.open(DEFAULT_TIMEOUT));
    }

    /** A socket in {@code namespace}: the only namespace switch, done once to open the socket. */
    public static RtNetlink openIn(NetNamespace namespace) {
        return new RtNetlink(NamespaceSwitcher.shared().call(namespace, () -> NetlinkSocket.open(DEFAULT_TIMEOUT)));
    }

    public List<LinkInfo> links() {
        return socket.dump("list links", LinkRequests::dump, Rtm.NEWLINK, LinkParser::parse);
    }

    public Optional<LinkInfo> link(String name) {
        InterfaceNames.requireValid("name", name);
        return linkOrEmpty("get link " + name, (w, seq) -> LinkRequests.getByName(w, seq, name));
    }

    public Optional<LinkInfo> link(int index) {
        return linkOrEmpty("get link #" + index, (w, seq) -> LinkRequests.getByIndex(w, seq, index));
    }

    public List<AddressInfo> addresses() {
        Map<Integer, String> names = new HashMap<>();
        links().forEach(link -> names.put(link.index(), link.name()));
        return socket.dump("list addresses", AddressRequests::dump, Rtm.NEWADDR,
                (segment, header) -> AddressParser.parse(segment, header, names::get));
    }

    /** One interface's addresses, filtered by the kernel: no dump of every link and address in the namespace. */
    public List<AddressInfo> addresses(String ifname) {
        int index = indexOf(ifname);
        return socket.dump("list addresses of " + ifname, (w, seq) -> AddressRequests.dump(w, seq, index), Rtm.NEWADDR,
                (segment, header) -> AddressParser.parse(segment, header, i -> i == index ? ifname : null))
                .stream().filter(address -> address.ifindex() == index).toList();
    }

    /** Creates both ends in one request, each placed in its namespace by IFLA_NET_NS_FD. */
    public void createVeth(VethSpec spec) {
        socket.execute("create veth " + spec.name() + "/" + spec.peerName(),
                (w, seq) -> LinkRequests.newVeth(w, seq, spec));
    }

    public void createVxlan(VxlanSpec spec) {
        socket.execute("create vxlan " + spec.name() + " vni " + spec.vni(),
                (w, seq) -> LinkRequests.newVxlan(w, seq, spec));
    }

    /** A device of a kind that needs no settings, e.g. "bridge" (this kernel has no "dummy"). */
    public void createLink(String name, String kind) {
        InterfaceNames.requireValid("name", name);
        socket.execute("create " + kind + " " + name, (w, seq) -> LinkRequests.newLink(w, seq, name, kind));
    }

    /**
     * Points an existing VXLAN at a new remote, in place: the kernel keeps the rest of its settings
     * and replaces the default (all-zeros) forwarding entry. The address family must stay the same.
     */
    public void setVxlanRemote(String name, InetAddress remote) {
        InterfaceNames.requireValid("name", name);
        socket.execute("set vxlan " + name + " remote " + remote.getHostAddress(),
                (w, seq) -> LinkRequests.setVxlanRemote(w, seq, name, remote));
    }

    public void setUp(String name) {
        setAdminState(name, true);
    }

    public void setDown(String name) {
        setAdminState(name, false);
    }

    public void setMtu(String name, int mtu) {
        InterfaceNames.requireValid("name", name);
        socket.execute("set mtu " + mtu + " on " + name, (w, seq) -> LinkRequests.setMtu(w, seq, name, mtu));
    }

    /** Sets the interface's alias (IFLA_IFALIAS, at most 255 bytes): a label that stays with it across moves. */
    public void setAlias(String name, String alias) {
        InterfaceNames.requireValid("name", name);
        if (alias.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("alias: longer than 255 bytes");
        }
        socket.execute("set alias of " + name, (w, seq) -> LinkRequests.setAlias(w, seq, name, alias));
    }

    public void setMac(String name, String mac) {
        InterfaceNames.requireValid("name", name);
        MacAddress.parse("mac", mac);
        socket.execute("set mac " + mac + " on " + name, (w, seq) -> LinkRequests.setMac(w, seq, name, mac));
    }

    /** Enslaves {@code name} to the bridge {@code master}; a null master releases it. */
    public void setMaster(String name, String master) {
        InterfaceNames.requireValid("name", name);
        int masterIndex = master == null ? 0 : indexOf(master);
        socket.execute("set master " + master + " on " + name,
                (w, seq) -> LinkRequests.setMaster(w, seq, name, masterIndex));
    }

    public void rename(String name, String newName) {
        InterfaceNames.requireValid("newName", newName);
        int index = indexOf(name);
        socket.execute("rename " + name + " to " + newName,
                (w, seq) -> LinkRequests.rename(w, seq, index, newName));
    }

    /**
     * Moves {@code name} into {@code target}, renamed to {@code newNameOrNull} in the same request
     * when given (so it never appears there under a name that may clash).
     */
    public void moveTo(String name, NetNamespace target, String newNameOrNull) {
        InterfaceNames.requireValid("name", name);
        int targetFd = target.fd();
        if (newNameOrNull == null) {
            socket.execute("move " + name + " to " + target,
                    (w, seq) -> LinkRequests.move(w, seq, name, targetFd));
            return;
        }
        InterfaceNames.requireValid("newName", newNameOrNull);
        int index = indexOf(name);
        socket.execute("move " + name + " to " + target + " as " + newNameOrNull,
                (w, seq) -> LinkRequests.moveRenamed(w, seq, index, targetFd, newNameOrNull));
    }

    /** IPv4 or IPv6; an IPv6 address skips duplicate detection and is usable at once. */
    public void addAddress(String ifname, InetAddress address, int prefixLength) {
        InetAddresses.requirePrefixLength(address, prefixLength);
        int index = indexOf(ifname);
        socket.execute("add address " + address.getHostAddress() + "/" + prefixLength + " to " + ifname,
                (w, seq) -> AddressRequests.add(w, seq, index, address, prefixLength));
    }

    public void removeAddress(String ifname, InetAddress address, int prefixLength) {
        InetAddresses.requirePrefixLength(address, prefixLength);
        int index = indexOf(ifname);
        socket.execute("remove address " + address.getHostAddress() + "/" + prefixLength + " from " + ifname,
                (w, seq) -> AddressRequests.remove(w, seq, index, address, prefixLength));
    }

    /** Deletes a link (a veth takes its peer with it); ENODEV when there is no such link. */
    public void deleteLink(String name) {
        InterfaceNames.requireValid("name", name);
        socket.execute("delete link " + name, (w, seq) -> LinkRequests.delete(w, seq, name));
    }

    @Override
    public void close() {
        socket.close();
    }

    private void setAdminState(String name, boolean up) {
        InterfaceNames.requireValid("name", name);
        socket.execute("set " + name + (up ? " up" : " down"), (w, seq) -> LinkRequests.setUp(w, seq, name, up));
    }

    /** The index of {@code name}; NetlinkException ENODEV when there is none. */
    private int indexOf(String name) {
        InterfaceNames.requireValid("name", name);
        LinkInfo link = socket.get("find link " + name,
                (w, seq) -> LinkRequests.getByName(w, seq, name), Rtm.NEWLINK, LinkParser::parse);
        return link.index();
    }

    private Optional<LinkInfo> linkOrEmpty(String operation, NetlinkSocket.Encoder request) {
        try {
            return Optional.ofNullable(socket.get(operation, request, Rtm.NEWLINK, LinkParser::parse));
        } catch (NetlinkException e) {
            if (e.is(Errno.ENODEV)) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
