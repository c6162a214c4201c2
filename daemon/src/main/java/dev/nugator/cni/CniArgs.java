package dev.nugator.cni;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** CNI_ARGS: {@code K=V;K=V}. Unknown keys are kept; nugator reads only the pod identity. */
public record CniArgs(String raw, Map<String, String> values) {

    public static CniArgs parse(String raw) {
        var values = new LinkedHashMap<String, String>();
        if (raw != null && !raw.isBlank()) {
            for (String pair : raw.split(";")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new CniError(CniError.INVALID_ENVIRONMENT,
                            "CNI_ARGS entry '" + pair + "' is not KEY=VALUE");
                }
                values.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return new CniArgs(raw == null ? "" : raw, Map.copyOf(values));
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }
}
