package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.RootIntegrationTest;
import dev.nugator.testkit.StoreKeys;
import dev.nugator.testkit.cri.CriLab;
import dev.nugator.testkit.cri.CriSandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pod identity from the CRI: containerd sends {@code K8S_POD_UID}, and the kubelet can deliver a
 * late DEL for an old sandbox after the pod's new one exists (a pod deleted and created again under
 * the same name: a new uid; the old sandbox is stopped and removed afterwards). That DEL is for
 * the old pod object and must not tear down the new one's links. The attachment keeps the uid
 * containerd sent; a DEL through containerd also carries the old sandbox's own id (CNI_CONTAINERID),
 * which alone already tells it from the new one (a DEL of the same id with another uid cannot come
 * through containerd): this shows that the new pod keeps its links, not which check kept them.
 */
@RootIntegrationTest
class CriLateDelTest {
    @RegisterExtension
    static final CriLab lab = CriLab.create();

    @Test
    void aLateDelOfTheOldSandboxLeavesTheNewPodsLinkAlone() {
        CriSeed.announce(lab);
        CriSandbox pair = lab.run(lab.pod("default", CriSeed.PAIR));
        CriSandbox old = lab.run(lab.pod("default", CriSeed.PRIMARY));

        CriSandbox renewed = lab.run(old.pod().recreated(lab.containerd().cgroupRoot()));
        var in1 = renewed.netns().requireIface("in1");
        var in2 = pair.netns().requireIface("in2");
        assertThat(in1.ipv4()).containsExactly(CriSeed.PRIMARY_IP + "/24");
        renewed.netns().assertPings(CriSeed.PAIR_IP);
        StoreKeys.values(lab.daemon(), "/nugator/v1/pods/" + renewed.pod().podKey()).ifPresent(attachments ->
                assertThat(attachments).as("the pod's attachment in the store").singleElement()
                        .satisfies(a -> assertThat(a.path("uid").asText()).as("%s", a).isEqualTo(renewed.pod().uid())));

        old.stop();
        old.remove();

        var in1After = renewed.netns().requireIface("in1");
        var in2After = pair.netns().requireIface("in2");
        assertThat(in1After.index()).as("the new pod's in1 after the old sandbox's DEL\n%s", lab.diagnostics())
                .isEqualTo(in1.index());
        assertThat(in1After.hasCarrier()).as("the new pod's in1 has carrier\n%s", lab.diagnostics()).isTrue();
        assertThat(in2After.index()).as("pair-pod's in2").isEqualTo(in2.index());
        renewed.netns().assertPings(CriSeed.PAIR_IP);
        pair.netns().assertPings(CriSeed.PRIMARY_IP);
        var end = lab.ctl().status().link("default/" + CriSeed.PRIMARY + ":in1");
        assertThat(end.state()).as("%s", end).isEqualTo("up");
    }
}
