package dev.nugator.netlink;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Changes sent several to a datagram on one {@link RtNetlink}: a pod's ends cost one system call
 * and one wake-up of the caller per kind of change, not one per end. The kernel still runs each
 * request on its own and answers each, so one refused (a name taken) does not stop the others, and
 * each outcome says which.
 */
public final class NetlinkBatch {
    /** An address for the interface at {@code ifindex}. */
    public record AddressOn(int ifindex, InetAddress address, int prefixLength) {
        public AddressOn {
            InetAddresses.requirePrefixLength(address, prefixLength);
            if (ifindex <= 0) {
                throw new IllegalArgumentException("ifindex: must be an interface index (positive), got " + ifindex);
            }
        }
    }

    private final RtNetlink rt;
    private final NetlinkSocket socket;

    NetlinkBatch(RtNetlink rt, NetlinkSocket socket) {
        this.rt = rt;
        this.socket = socket;
    }

    /**
     * Veth pairs as {@link RtNetlink#createVethEchoed} makes one each; per spec, in order, the end
     * made (as the kernel echoed it, or read after it where it echoes nothing) or the refusal.
     */
    public List<Outcome<LinkInfo>> createVethsEchoed(List<VethSpec> specs) {
        specs.forEach(rt::requireEchoable);
        var operations = specs.stream().map(spec -> "create veth " + spec.name() + "/" + spec.peerName()).toList();
        var encoders = specs.stream().<NetlinkSocket.Encoder>map(spec -> (w, seq) -> LinkRequests.newVeth(w, seq, spec, true)).toList();
        var outcomes = socket.executeBatch(operations, encoders, Rtm.NEWLINK, LinkParser::parse);
        var ends = new ArrayList<Outcome<LinkInfo>>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            var outcome = outcomes.get(i);
            String name = specs.get(i).name();
            if (!outcome.isDone() || outcome.value() != null && name.equals(outcome.value().name())) {
                ends.add(outcome);
            } else {
                String operation = operations.get(i);
                ends.add(rt.link(name).map(Outcome::done).orElseGet(() -> Outcome.refused(
                        new NetlinkException(operation, Errno.ENODEV.number(), "made, then gone before it could be read"))));
            }
        }
        return ends;
    }

    /** Addresses as {@link RtNetlink#addAddress(int, InetAddress, int)} adds one each; per address, in order, done or refused. */
    public List<Outcome<Void>> addAddresses(List<AddressOn> addresses) {
        var operations = addresses.stream().map(a -> "add address " + a.address().getHostAddress() + "/" + a.prefixLength()
                + " to #" + a.ifindex()).toList();
        var encoders = addresses.stream().<NetlinkSocket.Encoder>map(a -> (w, seq) ->
                AddressRequests.add(w, seq, a.ifindex(), a.address(), a.prefixLength())).toList();
        return socket.<Void>executeBatch(operations, encoders, NO_ECHO, (segment, message) -> null);
    }

    /** clsact qdiscs as {@link RtNetlink#addClsact} adds one each (one there already is done); per index, in order. */
    public List<Outcome<Void>> addClsacts(List<Integer> indexes) {
        var operations = indexes.stream().map(index -> "add clsact to #" + index).toList();
        var encoders = indexes.stream().<NetlinkSocket.Encoder>map(index -> (w, seq) -> TcRequests.addClsact(w, seq, index)).toList();
        return socket.<Void>executeBatch(operations, encoders, NO_ECHO, (segment, message) -> null).stream()
                .map(o -> o.isDone() || o.refusal().is(Errno.EEXIST) ? Outcome.<Void>done(null) : o).toList();
    }

    /** No reply of this type exists: requests that echo nothing. */
    private static final int NO_ECHO = -1;
}
