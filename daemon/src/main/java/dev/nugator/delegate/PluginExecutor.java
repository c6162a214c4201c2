package dev.nugator.delegate;

import dev.nugator.cni.Deadline;
import java.util.Map;

/** Runs one CNI plugin binary. The seam where unit tests inject a fake; nugatord execs for real. */
public interface PluginExecutor {
    /**
     * Runs plugin {@code type} from {@code cniPath} with {@code env} and {@code stdin}, killed when
     * the deadline passes.
     *
     * @throws dev.nugator.cni.CniError 101 when the plugin is not on the path, 11 on the deadline
     */
    PluginOutcome run(String type, String cniPath, Map<String, String> env, byte[] stdin, Deadline deadline);

    /** Fails with CNI error 101 unless plugin {@code type} can be run from {@code cniPath}. */
    void requireAvailable(String type, String cniPath);
}
