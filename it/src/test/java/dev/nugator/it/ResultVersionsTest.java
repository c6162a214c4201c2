package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.testkit.NugatorNode;
import dev.nugator.testkit.NetConf;
import dev.nugator.testkit.Pod;
import dev.nugator.testkit.RootIntegrationTest;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CNI.md item 6: the ADD result is in the request's version exactly, delegate results converted
 * to it before merging, with interface indexes that point at the pod's interfaces. Two real
 * delegates (macvlan on the node's eth0, bridge) make net0 and net1 in the pod.
 */
@RootIntegrationTest
class ResultVersionsTest {
    @RegisterExtension
    static final NugatorNode NODE = NugatorNode.create();

    @ParameterizedTest
    @MethodSource("dev.nugator.it.Versions#all")
    void addResultHasTheShapeOfTheRequestedVersion(String version) {
        var net = TestNetwork.create(NODE, version).macvlan().bridge();
        Pod pod = NODE.pod();

        JsonNode result = net.add(pod).requireSuccess().json();

        net.assertAttached(pod, "eth0");
        List<ResultShape.Address> addresses = ResultShape.assertValid(result, version, pod);
        String delegates = NetConf.delegateVersionFor(version);
        assertAddressesMatchDelegates(net, pod, version, List.of(delegates, delegates), addresses);

        var del = ResultShape.isLegacy(version) || version.startsWith("0.3.") ? net.del(pod)
                : net.withPrevResult("DEL", pod, "eth0", result);
        del.requireSuccess();
        net.assertNothingLeft(pod);
    }

    static Stream<Arguments> mixedDelegateVersions() {
        return Stream.of(
                Arguments.of("1.0.0", "0.2.0", "0.4.0"),
                Arguments.of("1.1.0", "0.3.1", "1.0.0"),
                Arguments.of("0.4.0", "1.0.0", "0.2.0"),
                Arguments.of("0.3.1", "0.1.0", "1.0.0"),
                Arguments.of("0.2.0", "1.0.0", "0.3.0"));
    }

    @ParameterizedTest(name = "request {0}, delegates {1} and {2}")
    @MethodSource("mixedDelegateVersions")
    void delegateResultsAreConvertedToTheRequestVersion(String version, String first, String second) {
        var net = TestNetwork.create(NODE, version).bridge().bridge();
        ((ObjectNode) net.conf().get("delegates").get(0)).put("cniVersion", first);
        ((ObjectNode) net.conf().get("delegates").get(1)).put("cniVersion", second);
        Pod pod = NODE.pod();

        JsonNode result = net.add(pod).requireSuccess().json();

        net.assertAttached(pod, "eth0");
        List<ResultShape.Address> addresses = ResultShape.assertValid(result, version, pod);
        assertAddressesMatchDelegates(net, pod, version, List.of(first, second), addresses);
        net.del(pod).requireSuccess();
        net.assertNothingLeft(pod);
    }

    /**
     * From 0.3.0 on every delegate's address is in the result on the interface it is on; a 0.x
     * result can hold one ip4 only, which must then be one of the delegates' addresses.
     */
    private static void assertAddressesMatchDelegates(TestNetwork net, Pod pod, String version, List<String> delegateVersions,
                                                      List<ResultShape.Address> addresses) {
        if (ResultShape.isLegacy(version)) {
            String ip = addresses.getFirst().cidr();
            assertThat(net.ranges().values()).as("ip4.ip %s comes from a delegate", ip)
                    .anySatisfy(r -> assertThat(r.contains(ip)).isTrue());
            return;
        }
        assertThat(addresses).as("one IPv4 per delegate in the result").hasSize(net.ranges().size());
        net.ranges().forEach((index, range) -> {
            String ifname = net.ifnameOf(index, "eth0");
            String actual = net.addressOf(pod, index, "eth0").cidr();
            // a 0.1.0/0.2.0 delegate's address comes without an interface (as libcni converts it)
            String expectedIfname = ResultShape.isLegacy(delegateVersions.get(index)) ? null : ifname;
            assertThat(addresses).as("result entry for %s", ifname)
                    .contains(new ResultShape.Address(expectedIfname, actual));
        });
    }
}
