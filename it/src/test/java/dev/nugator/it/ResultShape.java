package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nugator.testkit.Ipv4;
import dev.nugator.testkit.Link;
import dev.nugator.testkit.Pod;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a CNI ADD result against the spec of its version and against what is really in the pod,
 * because runtimes (and users reading {@code podman inspect}) trust both: 0.1.0/0.2.0 carry
 * {@code ip4}; 0.3.x/0.4.0 carry {@code interfaces} and {@code ips[].version}; 1.x drop
 * {@code version}. Interface indexes must point at interfaces that are in the pod's netns.
 */
final class ResultShape {
    /** One address of the result with the name of the interface it belongs to (null for 0.x ip4). */
    record Address(String ifname, String cidr) {}

    private ResultShape() {}

    static boolean isLegacy(String version) {
        return version.startsWith("0.1.") || version.startsWith("0.2.");
    }

    /** Asserts the shape for {@code version} and returns the result's IPv4 addresses. */
    static List<Address> assertValid(JsonNode result, String version, Pod pod) {
        assertThat(result.path("cniVersion").asText()).as("result cniVersion").isEqualTo(version);
        return isLegacy(version) ? legacy(result, pod) : current(result, version, pod);
    }

    private static List<Address> legacy(JsonNode result, Pod pod) {
        assertThat(result.has("interfaces")).as("a %s result has no interfaces: %s", result.path("cniVersion"), result).isFalse();
        assertThat(result.has("ips")).as("a 0.2.0 result has no ips: %s", result).isFalse();
        JsonNode ip4 = result.path("ip4");
        assertThat(ip4.path("ip").isTextual()).as("ip4.ip in %s", result).isTrue();
        String cidr = ip4.path("ip").asText();
        assertThat(cidr).as("ip4.ip is a CIDR").contains("/");
        assertThat(podAddresses(pod)).as("ip4.ip %s is an address in the pod", cidr).contains(cidr);
        return List.of(new Address(null, cidr));
    }

    private static List<Address> current(JsonNode result, String version, Pod pod) {
        assertThat(result.has("ip4")).as("no ip4 from 0.3.0 on: %s", result).isFalse();
        JsonNode interfaces = result.path("interfaces");
        JsonNode ips = result.path("ips");
        assertThat(interfaces.isArray()).as("interfaces array in %s", result).isTrue();
        assertThat(ips.isArray()).as("ips array in %s", result).isTrue();
        var addresses = new ArrayList<Address>();
        for (JsonNode ip : ips) {
            if (version.startsWith("0.")) {
                assertThat(ip.path("version").asText()).as("ips[].version in %s", version).isIn("4", "6");
            } else {
                assertThat(ip.has("version")).as("no ips[].version in %s: %s", version, ip).isFalse();
            }
            String cidr = ip.path("address").asText();
            if (!ip.path("version").asText("4").equals("4") || !Ipv4.isIpv4(cidr)) {
                continue;
            }
            if (!ip.has("interface")) {
                // A 0.1.0/0.2.0 delegate names no interface; like libcni, nugator then gives no index.
                assertThat(podAddresses(pod)).as("%s without interface is an address in the pod", cidr).contains(cidr);
                addresses.add(new Address(null, cidr));
                continue;
            }
            assertThat(ip.path("interface").canConvertToInt()).as("ips[].interface of %s", cidr).isTrue();
            int index = ip.path("interface").asInt();
            assertThat(index).as("interface index of %s within %d interfaces", cidr, interfaces.size())
                    .isBetween(0, interfaces.size() - 1);
            JsonNode iface = interfaces.get(index);
            assertThat(iface.path("sandbox").asText()).as("sandbox of %s (%s)", iface.path("name"), cidr)
                    .isEqualTo(pod.netnsPath().toString());
            Link link = pod.netns().requireLink(iface.path("name").asText());
            assertThat(link.addresses().stream().map(Object::toString).toList())
                    .as("%s in the pod carries %s", link.name(), cidr).contains(cidr);
            if (iface.has("mac")) {
                assertThat(iface.path("mac").asText()).as("mac of %s", link.name()).isEqualToIgnoringCase(link.mac());
            }
            addresses.add(new Address(link.name(), cidr));
        }
        return addresses;
    }

    private static List<String> podAddresses(Pod pod) {
        return pod.netns().links().stream().flatMap(l -> l.addresses().stream()).map(Object::toString).toList();
    }
}
