package dev.nugator.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What nugatord must remember about one attachment so that DEL, CHECK and GC work even after a
 * crash or a changed config: the delegates exactly as they were run, and each one's result.
 *
 * @param complete false while the ADD is still running (or died): DEL then undoes it all
 */
public record Attachment(int format, AttachmentKey key, String netns, String cniVersion, String cniArgs,
                         boolean complete, List<DelegateState> delegates) {
    public static final int FORMAT = 1;

    /**
     * One delegate of the attachment.
     *
     * @param result its ADD result in its own version, null until it returned (DEL then runs
     *               without prevResult: plugins' DEL is idempotent, so a crash mid-ADD is undone)
     */
    public record DelegateState(int index, String type, String cniVersion, String ifname, boolean master,
                                ObjectNode config, ObjectNode result) {}

    public Attachment {
        delegates = List.copyOf(delegates);
    }

    public Attachment withDelegate(DelegateState state) {
        var updated = new ArrayList<>(delegates);
        updated.replaceAll(d -> d.index() == state.index() ? state : d);
        return new Attachment(format, key, netns, cniVersion, cniArgs, complete, updated);
    }

    public Attachment completed() {
        return new Attachment(format, key, netns, cniVersion, cniArgs, true, delegates);
    }
}
