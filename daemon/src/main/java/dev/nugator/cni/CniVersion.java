package dev.nugator.cni;

import java.util.Arrays;
import java.util.List;

/** The CNI spec versions nugator can read and produce, oldest first. */
public enum CniVersion {
    V0_1_0("0.1.0"), V0_2_0("0.2.0"), V0_3_0("0.3.0"), V0_3_1("0.3.1"), V0_4_0("0.4.0"), V1_0_0("1.0.0"), V1_1_0("1.1.0");

    /** What a config without "cniVersion" means (the seed's configs have none). */
    public static final CniVersion IMPLIED = V0_2_0;
    public static final CniVersion LATEST = V1_1_0;

    private final String text;

    CniVersion(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public static List<String> supported() {
        return Arrays.stream(values()).map(CniVersion::text).toList();
    }

    public static CniVersion parse(String text, String field) {
        for (var version : values()) {
            if (version.text.equals(text)) {
                return version;
            }
        }
        throw new CniError(CniError.INCOMPATIBLE_VERSION,
                "unsupported CNI version " + text + " in " + field + "; nugator supports " + String.join(", ", supported()));
    }

    public boolean atLeast(CniVersion other) {
        return compareTo(other) >= 0;
    }

    /** 0.1.0 and 0.2.0 results carry ip4/ip6 objects instead of interfaces and ips. */
    public boolean hasLegacyResult() {
        return !atLeast(V0_3_0);
    }

    /** From 0.3.0 up to 0.4.0 each ips entry names its IP version. */
    public boolean ipsCarryVersion() {
        return atLeast(V0_3_0) && !atLeast(V1_0_0);
    }

    public boolean supportsCheck() {
        return atLeast(V0_4_0);
    }

    public boolean supportsDelPrevResult() {
        return atLeast(V0_4_0);
    }

    public boolean supportsGcAndStatus() {
        return atLeast(V1_1_0);
    }

    /** Requires the command's minimum version, failing with the spec's "incompatible version" code. */
    public void require(CniVersion minimum, String command) {
        if (!atLeast(minimum)) {
            throw new CniError(CniError.INCOMPATIBLE_VERSION,
                    command + " needs cniVersion " + minimum.text + " or later; the config has " + text);
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
