package dev.nugator.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retired panel devices go down into the retired group at once, and all together with the batch. */
@RootOnly
class ReaperRootTest {
    @RegisterExtension
    final PanelLab lab = new PanelLab();

    @Test
    void retiredDevicesWaitDownInTheirGroupAndGoTogetherWhileOthersStay() {
        var node = lab.node("node1");
        lab.registry();
        for (var name : List.of("ntr1", "ntr2", "ntr3", "ntkeep")) {   // veth pairs: this kernel may have no dummy devices
            PanelLab.run(List.of("ip", "-n", node.panelName(), "link", "add", name, "up", "type", "veth", "peer", "name", name + "p"));
        }
        var reaper = new Reaper(node.kernel(), Duration.ofHours(1));   // the batch goes when the test says

        reaper.retire("ntr1");
        reaper.retire("ntr2");
        reaper.retire("ntr3");
        reaper.retire("ntnone");   // gone already: nothing to retire, no error

        assertThat(node.kernel().panelDevices()).filteredOn(device -> device.group() == PanelKernel.RETIRED_GROUP)
                .extracting(dev.nugator.netlink.LinkInfo::name).containsExactlyInAnyOrder("ntr1", "ntr2", "ntr3");
        assertThat(node.kernel().panelDevices()).filteredOn(device -> device.group() == PanelKernel.RETIRED_GROUP)
                .allSatisfy(device -> assertThat(device.adminUp()).as(device.name() + " is down").isFalse());
        assertThat(node.kernel().port("ntkeep").orElseThrow()).satisfies(device -> {
            assertThat(device.adminUp()).isTrue();
            assertThat(device.group()).isZero();
        });

        reaper.reap();

        assertThat(links(node)).as("each retired device took its peer along").containsExactlyInAnyOrder("lo", "ntkeep", "ntkeepp");
    }

    @Test
    void aRetiredDeviceTakenBackStaysWhenTheBatchGoes() {
        var node = lab.node("node1");
        lab.registry();
        PanelLab.run(List.of("ip", "-n", node.panelName(), "link", "add", "ntr1", "type", "veth", "peer", "name", "ntr1p"));
        var reaper = new Reaper(node.kernel(), Duration.ofHours(1));

        reaper.retire("ntr1");
        assertThat(node.kernel().revivePanelDevice("ntr1")).isTrue();
        reaper.reap();

        assertThat(links(node)).contains("ntr1");
        assertThat(node.kernel().port("ntr1").orElseThrow().group()).isZero();
        assertThat(node.kernel().revivePanelDevice("ntgone")).as("one removed meanwhile").isFalse();
    }

    private static List<String> links(PanelLab.Node node) {
        return node.kernel().panelDevices().stream().map(dev.nugator.netlink.LinkInfo::name).toList();
    }
}
