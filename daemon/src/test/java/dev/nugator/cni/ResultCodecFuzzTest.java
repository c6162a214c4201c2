package dev.nugator.cni;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.Result.IpConfig;
import java.util.List;
import java.util.Set;

/**
 * A delegate's stdout, read as a result of any version and written in every version: reading gives
 * a {@link Result} or a CNI error with a decoding or version code; what is written reads back, and
 * writing that again gives the same JSON. Between versions that share the ips shape no address is
 * lost; the old ip4/ip6 shape keeps the first address of each family.
 */
class ResultCodecFuzzTest {
    private static final Set<Integer> READ_CODES = Set.of(CniError.DECODING_FAILURE, CniError.INCOMPATIBLE_VERSION);

    @FuzzTest
    void aResultOfOneVersionIsWrittenInEveryOther(byte[] stdout) {
        ObjectNode json;
        try {
            json = Json.parseObject(stdout, "the delegate's result");
        } catch (CniError notJson) {
            return;
        }
        for (CniVersion assumed : CniVersion.values()) {
            Result result;
            try {
                result = ResultCodec.read(json, assumed, "the delegate's result");
            } catch (CniError refused) {
                assertThat(refused.code()).isIn(READ_CODES);
                continue;
            }
            for (CniVersion target : CniVersion.values()) {
                writtenReadsBack(result, target);
            }
        }
    }

    private static void writtenReadsBack(Result result, CniVersion target) {
        ObjectNode written = ResultCodec.write(result, target);
        assertThat(written.get("cniVersion").asText()).isEqualTo(target.text());
        Result back = ResultCodec.read(written, CniVersion.V0_1_0, "written " + target);
        assertThat(ResultCodec.write(back, target)).as("%s written again", target).isEqualTo(written);
        if (target.hasLegacyResult()) {
            assertThat(back.ips()).isEqualTo(firstOfEachFamily(result.ips()));
        } else {
            assertThat(back.ips()).isEqualTo(result.ips());
            assertThat(back.interfaces()).hasSameSizeAs(result.interfaces());
            assertThat(back.routes()).hasSameSizeAs(result.routes());
        }
    }

    private static List<IpConfig> firstOfEachFamily(List<IpConfig> ips) {
        return java.util.stream.Stream.of(false, true)
                .flatMap(v6 -> ips.stream().filter(ip -> ip.isV6() == v6).limit(1))
                .map(ip -> new IpConfig(ip.address(), ip.gateway(), java.util.Optional.empty()))
                .toList();
    }
}
