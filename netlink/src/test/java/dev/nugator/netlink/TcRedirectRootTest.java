package dev.nugator.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A patch panel wired with tc: pods A, B and C each have a veth whose other end (pa, pb, pc) is in
 * the panel namespace, and u32 + mirred filters on the panel ports' ingress cross-connect them. B
 * and C hold the same address and MAC, so A reaches whichever one pa is wired to.
 */
@RootOnly
class TcRedirectRootTest {
    private static final InetAddress A = InetAddress.ofLiteral("198.51.100.1");
    private static final InetAddress B_OR_C = InetAddress.ofLiteral("198.51.100.2");
    private static final String B_OR_C_MAC = "02:00:00:00:00:0b";

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    private TestNamespaces.Netns podA;
    private TestNamespaces.Netns panel;
    private int pa;
    private int pb;
    private int pc;

    @BeforeEach
    void wire() {
        podA = namespaces.create();
        var podB = namespaces.create();
        var podC = namespaces.create();
        panel = namespaces.create();
        pa = port(podA, "ntlea", "pa", null);
        pb = port(podB, "ntleb", "pb", B_OR_C_MAC);
        pc = port(podC, "ntlec", "pc", B_OR_C_MAC);
        podA.rtnl().addAddress("ntlea", A, 30);
        podB.rtnl().addAddress("ntleb", B_OR_C, 30);
        podC.rtnl().addAddress("ntlec", B_OR_C, 30);
    }

    @Test
    void aPingCrossesTheRedirectsAndTcSeesOurFilter() {
        RtNetlink rtnl = panel.rtnl();
        rtnl.addClsact(pa);
        rtnl.addClsact(pa);
        rtnl.addClsact(pb);

        rtnl.redirectIngress(pa, pb);
        rtnl.redirectIngress(pb, pa);

        assertThat(ping(podA, B_OR_C, 56)).as("ping through the panel").isTrue();
        String filters = tcIngressFilters("pa");
        assertThat(filters).contains("\"kind\":\"u32\"", "\"fh\":\"800::800\"", "\"kind\":\"mirred\"",
                "\"mirred_action\":\"redirect\"", "\"direction\":\"egress\"", "\"to_dev\":\"pb\"");
        assertThat(rtnl.ingressRedirect(pa)).hasValue(pb);
        assertThat(rtnl.ingressRedirect(pb)).hasValue(pa);
    }

    @Test
    void aJumboFrameCrossesWhenEveryVethHasMtu9000() {
        panel.rtnl().addClsact(pa);
        panel.rtnl().addClsact(pb);
        panel.rtnl().redirectIngress(pa, pb);
        panel.rtnl().redirectIngress(pb, pa);

        assertThat(ping(podA, B_OR_C, 8000)).as("8000-byte ping, not fragmented").isTrue();
    }

    @Test
    void redirectingAgainRetargetsTheSameFilterInPlace() {
        RtNetlink rtnl = panel.rtnl();
        for (int port : new int[] {pa, pb, pc}) {
            rtnl.addClsact(port);
        }
        rtnl.redirectIngress(pa, pb);
        rtnl.redirectIngress(pb, pa);
        rtnl.redirectIngress(pc, pa);

        rtnl.redirectIngress(pa, pc);

        String filters = tcIngressFilters("pa");
        assertThat(filters.split("\"fh\":\"800::800\"", -1)).hasSize(2);
        assertThat(filters).contains("\"to_dev\":\"pc\"").doesNotContain("\"to_dev\":\"pb\"");
        assertThat(rtnl.ingressRedirect(pa)).hasValue(pc);
        assertThat(ping(podA, B_OR_C, 56)).as("ping now answered by pod C").isTrue();
    }

    @Test
    void removingIsIdempotentAndADeviceWithoutClsactHasNoRedirect() {
        RtNetlink rtnl = panel.rtnl();
        rtnl.addClsact(pa);
        rtnl.addClsact(pc);
        rtnl.redirectIngress(pa, pc);
        rtnl.redirectIngress(pc, pa);
        assertThat(ping(podA, B_OR_C, 56)).isTrue();

        rtnl.removeIngressRedirect(pa);

        assertThat(ping(podA, B_OR_C, 56)).as("nothing carries pa's frames any more").isFalse();
        assertThat(rtnl.ingressRedirect(pa)).isEmpty();
        assertThat(tcIngressFilters("pa").strip()).isEqualTo("[]");
        assertThat(rtnl.ingressRedirect(pc)).hasValue(pa);
        rtnl.removeIngressRedirect(pa); // clsact there, no filter: ENOENT
        rtnl.removeIngressRedirect(pb); // no clsact at all: EINVAL
        assertThat(rtnl.ingressRedirect(pb)).isEmpty();
    }

    /** A veth from {@code pod} into the panel, both ends up at once, MTU 9000; returns the panel port's index. */
    private int port(TestNamespaces.Netns pod, String podEnd, String panelEnd, String podMac) {
        panel.rtnl().createVeth(VethSpec.of(podEnd, panelEnd).inNamespace(pod.namespace()).withMac(podMac)
                .withMtu(9000).withAdminUp(true, true));
        return panel.rtnl().link(panelEnd).orElseThrow().index();
    }

    private String tcIngressFilters(String device) {
        return Ip.command("tc", "-j", "-n", panel.name(), "filter", "show", "dev", device, "ingress");
    }

    /**
     * One ping of {@code size} bytes of payload from {@code pod}, with don't-fragment where the ping
     * can set it (iputils); busybox's (what make deps installs) cannot, but ntlea's MTU of 9000
     * already keeps the frame whole.
     */
    private static boolean ping(TestNamespaces.Netns pod, InetAddress target, int size) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", pod.name()));
        if (Files.isExecutable(Path.of("/usr/bin/ping")) || Files.isExecutable(Path.of("/bin/ping"))) {
            command.addAll(List.of("ping", "-M", "do"));
        } else {
            command.addAll(List.of("busybox", "ping"));
        }
        command.addAll(List.of("-c", "1", "-W", "2", "-s", Integer.toString(size), target.getHostAddress()));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }
}
