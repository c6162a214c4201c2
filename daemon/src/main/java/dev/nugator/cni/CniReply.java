package dev.nugator.cni;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the runtime gets back: the process exit code and the JSON printed on stdout (or nothing). */
public record CniReply(int exitCode, byte[] stdout) {
    private static final byte[] NOTHING = new byte[0];

    public static CniReply success(ObjectNode body) {
        return new CniReply(0, Json.bytes(body));
    }

    public static CniReply empty() {
        return new CniReply(0, NOTHING);
    }

    public static CniReply error(String cniVersion, CniError error) {
        var body = Json.MAPPER.createObjectNode()
                .put("cniVersion", cniVersion)
                .put("code", error.code())
                .put("msg", error.getMessage())
                .put("details", error.details());
        return new CniReply(1, Json.bytes(body));
    }
}
