package dev.nugator.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kernel's refusals come back with the operation, the errno and its own words. */
@RootOnly
class FailureRootTest {
    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @Test
    void aKindTheKernelLacksCarriesTheKernelsMessage() {
        var a = namespaces.create();

        assertThatThrownBy(() -> a.rtnl().createLink("ntld", "dummy"))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.operation()).isEqualTo("create dummy ntld");
                    assertThat(e.errnoName()).isEqualTo("EOPNOTSUPP");
                    assertThat(e.kernelMessage()).isEqualTo("Unknown device type");
                    assertThat(e).hasMessage("create dummy ntld failed: EOPNOTSUPP (Operation not supported)"
                            + ": Unknown device type");
                });
    }

    @Test
    void deletingAMissingLinkIsEnodev() {
        var a = namespaces.create();

        assertThatThrownBy(() -> a.rtnl().deleteLink("ntlnone"))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.operation()).isEqualTo("delete link ntlnone");
                    assertThat(e.is(Errno.ENODEV)).isTrue();
                });
        assertThatThrownBy(() -> a.rtnl().setUp("ntlnone"))
                .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.is(Errno.ENODEV)).isTrue());
        assertThatThrownBy(() -> a.rtnl().addAddress("ntlnone", InetAddress.ofLiteral("10.9.9.9"), 24))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.operation()).isEqualTo("find link ntlnone");
                    assertThat(e.is(Errno.ENODEV)).isTrue();
                });
    }

    @Test
    void aMissingNamespaceIsEnoent() {
        assertThatThrownBy(() -> NetNamespace.named("ntlnosuchns"))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.operation()).isEqualTo("open /run/netns/ntlnosuchns");
                    assertThat(e.is(Errno.ENOENT)).isTrue();
                });
    }

    @Test
    void aFileThatIsNoNamespaceIsRefused() throws Exception {
        Path file = Files.createTempFile("ntl", "netns");
        try {
            assertThatThrownBy(() -> NetNamespace.open(file))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a namespace");
            assertThatThrownBy(() -> NetNamespace.open(Path.of("/proc/self/ns/uts")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a network namespace");
        } finally {
            Files.delete(file);
        }
    }

    /** `ip netns del` only unmounts the name: an open fd keeps the namespace, so a move still lands. */
    @Test
    void aNamespaceWhoseNameIsGoneLivesWhileItIsOpen() {
        var a = namespaces.create();
        var b = namespaces.create();
        a.rtnl().createVeth(VethSpec.of("ntla", "ntlb"));
        Ip.run("netns", "del", b.name());
        Ip.run("netns", "add", b.name());

        a.rtnl().moveTo("ntla", b.namespace(), null);

        assertThat(b.rtnl().link("ntla")).isPresent();
        assertThat(Ip.run("-n", b.name(), "-br", "link")).doesNotContain("ntla");
    }

    @Test
    void aClosedNamespaceOrSocketIsRefusedBeforeAnyRequest() {
        var a = namespaces.create();
        NetNamespace closed = NetNamespace.named(a.name());
        closed.close();
        closed.close();
        RtNetlink rtnl = RtNetlink.openIn(a.namespace());
        rtnl.close();
        rtnl.close();

        assertThatThrownBy(closed::fd).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> a.rtnl().moveTo("lo", closed, null)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(rtnl::links).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badNamesFailBeforeAnyRequestNamingTheField() {
        var a = namespaces.create();

        assertThatThrownBy(() -> a.rtnl().createVeth(VethSpec.of("ntla", "ntl-far-too-long-name")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("peerName:");
        assertThatThrownBy(() -> a.rtnl().rename("lo", "a b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("newName:");
        assertThatThrownBy(() -> a.rtnl().moveTo("lo", a.namespace(), "x/y"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("newName:");
    }
}
