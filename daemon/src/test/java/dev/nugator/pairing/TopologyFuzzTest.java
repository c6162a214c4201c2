package dev.nugator.pairing;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.nugator.cni.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A topology file as anyone may write it, read as {@code nugatorctl topology apply} reads it: YAML
 * that does not parse is an IOException, a tree that is not a valid topology an
 * {@link InvalidLinksException} naming the problems, nothing else; no name is ever resolved for an
 * address. A topology that parses, written out in the stored link format, parses back equal.
 */
class TopologyFuzzTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    @FuzzTest
    void anyFileParsesOrNamesItsProblems(byte[] file) {
        JsonNode tree;
        try {
            tree = YAML.readTree(file);
        } catch (IOException unreadable) {
            return;
        }
        if (tree == null || tree.isMissingNode()) {
            return;
        }
        var lookups = NameLookups.start();
        Topology topology;
        try {
            topology = Topology.parse(tree);
        } catch (InvalidLinksException invalid) {
            assertThat(invalid.problems()).isNotEmpty().allSatisfy(p -> assertThat(p).isNotBlank());
            return;
        } finally {
            assertThat(lookups.names()).as("names resolved while parsing addresses").isEmpty();
        }
        var links = Json.MAPPER.createArrayNode();
        topology.links().forEach(link -> {
            links.add(LinkJson.write(link));
            assertThat(LinkJson.read(LinkJson.write(link))).isEqualTo(link);
        });
        var written = Json.MAPPER.createObjectNode().put("name", topology.name());
        written.set("links", links);
        assertThat(Topology.parse(written)).isEqualTo(topology);
    }

    /**
     * Records the names the JDK's resolver is asked for on this thread and resolves them as usual;
     * registered in META-INF/services, so literal addresses, which never reach a resolver, are not
     * counted. It turns the JDK's lookup cache off for the test JVM (the JDK asks for this provider
     * before it first reads the cache policy): a name looked up a moment earlier, by another input or
     * another test, would otherwise be answered from the cache, unseen, and a replay would pass or
     * fail by the order it ran in.
     */
    public static final class NameLookups extends InetAddressResolverProvider {
        private static final ThreadLocal<List<String>> NAMES = ThreadLocal.withInitial(ArrayList::new);

        static NameLookups start() {
            NAMES.get().clear();
            return new NameLookups();
        }

        List<String> names() {
            return List.copyOf(NAMES.get());
        }

        @Override
        public InetAddressResolver get(Configuration configuration) {
            Security.setProperty("networkaddress.cache.ttl", "0");
            Security.setProperty("networkaddress.cache.negative.ttl", "0");
            var builtin = configuration.builtinResolver();
            return new InetAddressResolver() {
                @Override
                public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws java.net.UnknownHostException {
                    NAMES.get().add(host);
                    return builtin.lookupByName(host, policy);
                }

                @Override
                public String lookupByAddress(byte[] addr) throws java.net.UnknownHostException {
                    return builtin.lookupByAddress(addr);
                }
            };
        }

        @Override
        public String name() {
            return "nugator-test-recorder";
        }
    }
}
