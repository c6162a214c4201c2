package dev.nugator.netlink;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Collects the entries of one dump up to NLMSG_DONE, and remembers whether the kernel flagged it
 * NLM_F_DUMP_INTR (the table changed while it was read, so entries may be missing or doubled).
 */
final class DumpReader<T> implements ReplyHandler {
    private final String operation;
    private final MemorySegment buffer;
    private final int entryType;
    private final BiFunction<MemorySegment, NlMsgHdr, T> decoder;
    private final List<T> entries = new ArrayList<>();
    private boolean interrupted;

    DumpReader(String operation, MemorySegment buffer, int entryType,
               BiFunction<MemorySegment, NlMsgHdr, T> decoder) {
        this.operation = operation;
        this.buffer = buffer;
        this.entryType = entryType;
        this.decoder = decoder;
    }

    @Override
    public boolean handle(NlMsgHdr message) {
        interrupted |= (message.flags() & NlMsgHdr.NLM_F_DUMP_INTR) != 0;
        switch (message.type()) {
            case NlMsgHdr.NLMSG_ERROR -> ReplyHandler.throwIfError(operation, buffer, message);
            case NlMsgHdr.NLMSG_DONE -> ReplyHandler.throwIfDumpFailed(operation, buffer, message);
            default -> {
                if (message.type() == entryType) {
                    entries.add(decoder.apply(buffer, message));
                }
                return false;
            }
        }
        return true;
    }

    boolean interrupted() {
        return interrupted;
    }

    List<T> entries() {
        return entries;
    }
}
