package dev.nugator.plugin;

import dev.nugator.cni.CniVersion;
import dev.nugator.delegate.Delegate;
import dev.nugator.store.Attachment.DelegateState;

/** Converts between delegates as run and delegates as stored. */
final class DelegateStates {
    private DelegateStates() {}

    static DelegateState pending(Delegate d) {
        return new DelegateState(d.index(), d.type(), d.version().text(), d.ifname(), d.master(), d.config(), null);
    }

    static DelegateState added(Delegate d, com.fasterxml.jackson.databind.node.ObjectNode result) {
        return new DelegateState(d.index(), d.type(), d.version().text(), d.ifname(), d.master(), d.config(), result);
    }

    static Delegate delegate(DelegateState s) {
        return new Delegate(s.index(), s.type(), CniVersion.parse(s.cniVersion(), "stored delegate version"),
                s.ifname(), s.master(), s.config());
    }
}
