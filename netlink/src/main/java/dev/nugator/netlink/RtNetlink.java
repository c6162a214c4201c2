package dev.nugator.netlink;

import java.net.InetAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * rtnetlink for one network namespace: read and change links, addresses and tc filters there. The
 * socket is bound to the namespace it was opened in, so every call acts there whatever thread makes
 * it; no call switches namespaces, except createVeth in the one case its Javadoc names.
 * Thread-safe: requests on one instance are serialized.
 *
 * <p>Every change waits for the kernel's ACK; a refusal throws {@link NetlinkException} with the
 * operation, the errno and the kernel's own message. Names are checked before any request.
 */
public final class RtNetlink implements AutoCloseable {
    private static final Set<Errno> NO_DEVICE = EnumSet.of(Errno.ENODEV);
    /** How long any one request may wait for its reply. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final NetlinkSocket socket;
    /** The nsfs inode of the socket's namespace: tells which veth ends live here. */
    private final long namespaceInode;

    private RtNetlink(NetlinkSocket socket, long namespaceInode) {
        this.socket = socket;
        this.namespaceInode = namespaceInode;
    }

    /** A socket in the calling thread's namespace (the process's, on any thread but a switcher's). */
    public static RtNetlink open() {
        long inode;
        try (NetNamespace here = NetNamespace.current()) {
            inode = here.inode();
        }
        return new RtNetlink(NetlinkSocket.open(DEFAULT_TIMEOUT), inode);
    }

    /** A socket in {@code namespace}: the only namespace switch, done once to open the socket. */
    public static RtNetlink openIn(NetNamespace namespace) {
        return new RtNetlink(NamespaceSwitcher.shared().call(namespace, () -> NetlinkSocket.open(DEFAULT_TIMEOUT)),
                namespace.inode());
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

    /**
     * The index of the interface holding {@code address}, if one here does: one dump of the
     * addresses, without the dump of every link that naming them would take (a node's namespace may
     * hold hundreds of interfaces).
     */
    public OptionalInt indexHolding(InetAddress address) {
        return socket.dump("find the interface holding " + address.getHostAddress(), AddressRequests::dump, Rtm.NEWADDR,
                        (segment, header) -> AddressParser.parse(segment, header, i -> null))
                .stream().filter(a -> a.address().equals(address)).mapToInt(AddressInfo::ifindex).findFirst();
    }

    /** One interface's addresses, filtered by the kernel: no dump of every link and address in the namespace. */
    public List<AddressInfo> addresses(String ifname) {
        int index = indexOf(ifname);
        return socket.dump("list addresses of " + ifname, (w, seq) -> AddressRequests.dump(w, seq, index), Rtm.NEWADDR,
                (segment, header) -> AddressParser.parse(segment, header, i -> i == index ? ifname : null))
                .stream().filter(address -> address.ifindex() == index).toList();
    }

    /**
     * Creates both ends in one request, each placed in its namespace by IFLA_NET_NS_FD and in its
     * interface group. The kernel brings up only the first end of a create request, so when both
     * ends are to be admin-up a second request brings up the other: through this socket if either
     * end lives in this namespace, else through a socket opened once in the peer's namespace (a
     * namespace switch). Fails whole: if the second request fails, the pair is deleted.
     */
    public void createVeth(VethSpec spec) {
        VethCreation.create(socket, namespaceInode, spec);
    }

    /**
     * Creates a veth pair whose first end lives in this socket's namespace and returns that end as
     * made (its index, MAC, and its peer's index as IFLA_LINK), in one request where the kernel
     * echoes what it made (6.2 and later) and with a GET after it where it does not. Only the first
     * end may be asked up (both up takes two requests: use {@link #createVeth}).
     */
    public LinkInfo createVethEchoed(VethSpec spec) {
        requireEchoable(spec);
        LinkInfo made = socket.executeEchoed("create veth " + spec.name() + "/" + spec.peerName(),
                (w, seq) -> LinkRequests.newVeth(w, seq, spec, true), Rtm.NEWLINK, LinkParser::parse);
        if (made != null && spec.name().equals(made.name())) {
            return made;
        }
        return link(spec.name()).orElseThrow(() -> new NetlinkException("create veth " + spec.name(), Errno.ENODEV.number(),
                "made, then gone before it could be read"));
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

    /**
     * Moves interface {@code name} into interface group {@code group} (0 is the default group) and
     * sets it up or down, in one request: {@link #deleteGroup} can then remove it together with the
     * rest. False when there is no such interface (an answer callers expect: no exception for it).
     */
    public boolean setGroup(String name, int group, boolean up) {
        InterfaceNames.requireValid("name", name);
        if (group < 0) {
            throw new IllegalArgumentException("group: must be 0 (the default group) or more, got " + group);
        }
        return executeUnless(NO_DEVICE, "set group " + group + " on " + name, (w, seq) -> LinkRequests.setGroup(w, seq, name, group, up));
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

    /** As {@link #addAddress(String, InetAddress, int)}, for a device whose index the caller knows: no lookup. */
    public void addAddress(int ifindex, InetAddress address, int prefixLength) {
        InetAddresses.requirePrefixLength(address, prefixLength);
        requireIndex("ifindex", ifindex);
        socket.execute("add address " + address.getHostAddress() + "/" + prefixLength + " to #" + ifindex,
                (w, seq) -> AddressRequests.add(w, seq, ifindex, address, prefixLength));
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

    /** Deletes a link if there is one of that name; returns whether there was. */
    public boolean deleteLinkIfPresent(String name) {
        InterfaceNames.requireValid("name", name);
        return executeUnless(NO_DEVICE, "delete link " + name, (w, seq) -> LinkRequests.delete(w, seq, name));
    }

    /**
     * Deletes, in one request, every interface of interface group {@code group} in this namespace;
     * a veth takes its peer with it wherever that is. Nothing in the group is not an error.
     */
    public void deleteGroup(int group) {
        if (group <= 0) {
            throw new IllegalArgumentException(
                    "group: must be positive (the kernel refuses the default group 0), got " + group);
        }
        executeUnless(NO_DEVICE, "delete group " + group,
                (w, seq) -> LinkRequests.deleteGroup(w, seq, group));
    }

    /** Adds a clsact qdisc to interface #{@code ifindex}; one that is there already is left as it is. */
    public void addClsact(int ifindex) {
        requireIndex("ifindex", ifindex);
        executeUnless(EnumSet.of(Errno.EEXIST), "add clsact to #" + ifindex,
                (w, seq) -> TcRequests.addClsact(w, seq, ifindex));
    }

    /**
     * Sends every frame arriving on #{@code ifindex} out of #{@code targetIfindex}: on clsact's ingress
     * (see {@link #addClsact}), a u32 filter at priority 1, protocol all, handle 800::800, matching
     * everything, with action mirred egress redirect. Called again, it retargets that same filter in
     * place, with no moment without one.
     */
    public void redirectIngress(int ifindex, int targetIfindex) {
        requireIndex("ifindex", ifindex);
        requireIndex("targetIfindex", targetIfindex);
        socket.execute("redirect ingress of #" + ifindex + " to #" + targetIfindex,
                (w, seq) -> TcRequests.redirectIngress(w, seq, ifindex, targetIfindex));
    }

    /**
     * Removes the ingress filters at priority 1 of #{@code ifindex}. No such filter (ENOENT) or no
     * clsact at all (EINVAL, "Parent Qdisc doesn't exists") is not an error.
     */
    public void removeIngressRedirect(int ifindex) {
        requireIndex("ifindex", ifindex);
        executeUnless(EnumSet.of(Errno.ENOENT, Errno.EINVAL), "remove ingress redirect of #" + ifindex,
                (w, seq) -> TcRequests.deleteIngressFilter(w, seq, ifindex));
    }

    /** Where {@link #redirectIngress} sends the frames of #{@code ifindex}; empty when nowhere. */
    public OptionalInt ingressRedirect(int ifindex) {
        requireIndex("ifindex", ifindex);
        List<TcFilter> filters = socket.dump("list ingress filters of #" + ifindex,
                (w, seq) -> TcRequests.dumpIngressFilters(w, seq, ifindex), Rtm.NEWTFILTER, TcFilterParser::parse);
        return filters.stream().filter(TcFilter::isIngressRedirect).mapToInt(TcFilter::redirectIfindex).findFirst();
    }

    @Override
    public void close() {
        socket.close();
    }

    /** A request whose refusal with one of {@code nothingToDo} means it was done already. */
    /** Runs a change for which the kernel's {@code nothingToDo} answers are no error; returns whether it did something. */
    /** Changes sent several to a datagram on this socket (see {@link NetlinkBatch}). */
    public NetlinkBatch batch() {
        return new NetlinkBatch(this, socket);
    }

    /** What {@link #createVethEchoed} can make in one request: a first end here, only it up. */
    void requireEchoable(VethSpec spec) {
        if (spec.netns() != null && spec.netns().inode() != namespaceInode) {
            throw new IllegalArgumentException("createVethEchoed: the first end must live in the socket's namespace");
        }
        if (spec.peerAdminUp()) {
            throw new IllegalArgumentException("createVethEchoed: only the first end can be made up in one request");
        }
    }

    private boolean executeUnless(Set<Errno> nothingToDo, String operation, NetlinkSocket.Encoder request) {
        return socket.executeExpecting(operation, request, nothingToDo) == 0;
    }

    private static void requireIndex(String field, int ifindex) {
        if (ifindex <= 0) {
            throw new IllegalArgumentException(field + ": must be an interface index (positive), got " + ifindex);
        }
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
        return Optional.ofNullable(socket.get(operation, request, Rtm.NEWLINK, LinkParser::parse, NO_DEVICE));
    }
}
