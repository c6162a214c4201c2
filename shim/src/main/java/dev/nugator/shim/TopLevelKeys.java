package dev.nugator.shim;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The network config as far as the shim reads it: whether it is one JSON object at all (if not,
 * the shim answers the decoding error itself, as nugatord would), and the string values of its
 * top-level keys, of which the shim needs only "socket" (where to connect) and "cniVersion" (to
 * shape its own errors). A key given twice has its last value, as in nugatord's parser.
 */
final class TopLevelKeys {
    private final Map<String, String> values;
    private final String problem;

    private TopLevelKeys(Map<String, String> values, String problem) {
        this.values = values;
        this.problem = problem;
    }

    static TopLevelKeys of(byte[] json) {
        var values = new HashMap<String, String>();
        String problem = JsonScanner.scan(json, values);
        return new TopLevelKeys(values, problem);
    }

    /** The key's string value; when the config is not JSON, only keys before the error are known. */
    Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** What makes the bytes something other than one JSON object, with where; empty when they are one. */
    Optional<String> problem() {
        return Optional.ofNullable(problem);
    }
}
