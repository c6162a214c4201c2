package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.testkit.Await;
import dev.nugator.testkit.CniCall;
import dev.nugator.testkit.CniResult;
import dev.nugator.testkit.Json;
import dev.nugator.testkit.LabPod;
import dev.nugator.testkit.LinkLab;
import dev.nugator.testkit.ProcResult;
import dev.nugator.testkit.RootIntegrationTest;
import dev.nugator.testkit.StoreKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Records in the store that this nugatord did not write the way it would: a newer writer's (a rolling
 * upgrade adds fields) and a damaged one. Neither may cost any other link its ADD, status or announce;
 * the damaged one is said once in the log. And an interface name that is not printable ASCII is
 * refused wherever it enters, naming the field, before it can be stored.
 */
@RootIntegrationTest
class StoreRecordsTest {
    private static final String LINKS = "/nugator/v1/links/";
    private static final String DAMAGED = LINKS + "ffffffffffff0bad";

    @RegisterExtension
    final LinkLab lab = LinkLab.create();

    @Test
    void aNewerWritersLinkAndADamagedOneBreakNoAddStatusOrAnnounce() {
        lab.announce("r1", "e1", "192.0.2.1/30", "r2", "e1", "192.0.2.2/30");
        LabPod r1 = lab.pod("r1");
        LabPod r2 = lab.pod("r2");
        String id = lab.status().link(r1.end("e1")).id();
        var daemon = lab.daemon();
        daemon.stop();
        var newer = (ObjectNode) Json.parse(StoreKeys.value(daemon, LINKS + id).orElseThrow());
        newer.put("colour", "blue").putObject("qos").put("rate", "1g");
        ((ObjectNode) newer.get("a")).put("vlan", 7);
        StoreKeys.put(daemon, LINKS + id, Json.write(newer));
        StoreKeys.put(daemon, DAMAGED, "{\"a\": {\"pod\": \"r9\"");
        daemon.restart();

        r1.attach();
        r2.attach();
        Await.until("the newer writer's link up\n" + lab.logTail(), () -> lab.status().link(r1.end("e1")), l -> l.state().equals("up"));
        lab.announce("r3", "e1", "198.51.100.1/31", "r4", "e1", "198.51.100.0/31");
        assertThat(lab.status().find(lab.pod("r3").end("e1"))).as("the link announced after").isPresent();

        assertThat(daemon.log().lines().filter(l -> l.contains(DAMAGED)).toList())
                .as("the damaged record is logged once, however often it is read").hasSize(1)
                .first().asString().contains("cannot be read");
        r1.detach();
        r2.detach();
    }

    @Test
    void anInterfaceNameThatIsNotPrintableAsciiIsRefusedWhereverItEnters() {
        ProcResult topology = lab.ctl().applyTopology("links: [{a: {pod: r1, ifname: \"e\u00e0\"}, b: {pod: r2, ifname: e1}}]\n");
        assertThat(topology.exitCode()).as(topology.describe()).isNotZero();
        assertThat(topology.stdout() + topology.stderr()).as(topology.describe()).contains("links[0].a.ifname").contains("U+00E0");

        ProcResult announce = lab.ctl().run("announce", "--pod-name", "r1", "--local-ifname", "e\u00e0", "--local-ip", "192.0.2.1/30",
                "--pair-name", "r2", "--pair-ifname", "e1", "--pair-ip", "192.0.2.2/30");
        assertThat(announce.exitCode()).as(announce.describe()).isNotZero();
        assertThat(announce.stdout() + announce.stderr()).as(announce.describe()).contains("LOCAL_IFNAME").contains("printable ASCII");

        LabPod r1 = lab.pod("r1");
        CniResult add = CniCall.of("ADD").pod(r1.sandbox()).ifname("e\u00e0").args(r1.cniArgs()).config(lab.network()).run();
        assertThat(add.errorCode()).as(add.describe()).isEqualTo(4);
        assertThat(add.errorMsg()).as(add.describe()).contains("CNI_IFNAME");

        assertThat(lab.status().links()).as("nothing was stored").isEmpty();
    }
}
