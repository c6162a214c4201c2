package dev.nugator.link;

import dev.nugator.netlink.LinkInfo;
import dev.nugator.netlink.NetlinkBatch.AddressOn;
import dev.nugator.netlink.NetnsPath;
import dev.nugator.netlink.Outcome;
import dev.nugator.pairing.IfAddress;
import dev.nugator.pairing.LinkSpec;
import dev.nugator.pairing.PodAttachment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The new ends of a pod being added, made together: its veth pairs in one netlink batch in the pod,
 * their addresses in a second, their ports' clsact qdiscs in one in the panel. Each end is then as
 * {@link PanelKernel#makeEnd} and {@link PanelKernel#configure} would leave it, for a few requests
 * in all instead of three or more per end. What the kernel refuses for one end is that end's
 * outcome only; a name already taken (EEXIST) is for the link's pass to look into.
 */
final class EndBatch {
    /** A new end: its interface in the pod, its port in the panel, MTU, MAC and addresses. */
    record NewEnd(String ifname, String port, int mtu, String mac, List<IfAddress> addresses) {}

    private EndBatch() {}

    /**
     * The ends of {@code pod}, being added here, of its {@code links}: per port name, the pod side
     * made (addressed, its port with its qdisc), or the kernel's refusal. A pod whose namespace went
     * meanwhile gets none here: each link's pass then finds out, as it would without the batch.
     */
    static Map<String, Outcome<LinkInfo>> make(PanelKernel kernel, ThisNode self, PodAttachment pod, List<LinkSpec> links) {
        var ends = new ArrayList<NewEnd>();
        for (var link : links) {
            for (var side : link.sidesAt(pod.pod())) {
                var endpoint = link.end(side);
                ends.add(new NewEnd(endpoint.ifname(), PanelNames.port(link.id(), side),
                        self.mtuOf(link), EndMac.of(link, side), endpoint.addresses()));
            }
        }
        try {
            return ends.isEmpty() ? Map.of() : make(kernel, pod.netns(), ends);
        } catch (NetnsGoneException gone) {
            return Map.of();
        }
    }

    private static Map<String, Outcome<LinkInfo>> make(PanelKernel kernel, NetnsPath netns, List<NewEnd> ends) {
        var panel = kernel.panel();
        var outcomes = new HashMap<String, Outcome<LinkInfo>>();
        PanelKernel.inPod(netns, rt -> {
            var made = rt.batch().createVethsEchoed(ends.stream().map(e -> kernel.endSpec(e.ifname(), e.port(), e.mtu(), e.mac())).toList());
            var addresses = new ArrayList<AddressOn>();
            var addressOf = new ArrayList<String>();
            var ports = new ArrayList<Integer>();
            var portOf = new ArrayList<String>();
            for (int i = 0; i < ends.size(); i++) {
                var end = ends.get(i);
                var outcome = made.get(i);
                outcomes.put(end.port(), outcome);
                if (outcome.isDone()) {
                    for (var address : end.addresses()) {
                        addresses.add(new AddressOn(outcome.value().index(), address.address(), address.prefixLength()));
                        addressOf.add(end.port());
                    }
                    ports.add(outcome.value().linkIndex());   // a veth's IFLA_LINK is its peer's index: the port's
                    portOf.add(end.port());
                }
            }
            refuse(outcomes, addressOf, rt.batch().addAddresses(addresses));
            refuse(outcomes, portOf, panel.rtnl().batch().addClsacts(ports));
            return null;
        });
        return outcomes;
    }

    /** The ends of refused requests ({@code owners}, in the requests' order) take the refusal as their outcome. */
    private static void refuse(Map<String, Outcome<LinkInfo>> outcomes, List<String> owners, List<Outcome<Void>> done) {
        for (int i = 0; i < owners.size(); i++) {
            if (!done.get(i).isDone()) {
                outcomes.put(owners.get(i), Outcome.refused(done.get(i).refusal()));
            }
        }
    }
}
