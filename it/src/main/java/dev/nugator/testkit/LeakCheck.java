package dev.nugator.testkit;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves behind a network namespace, a running nugatord or a running etcd
 * member it created through the kit (after cleaning them up, so one leak does not cascade into the
 * next class).
 * It also compares {@code ip netns list} before and after and reports new "nt" namespaces it did
 * not make on stderr only: another test run on the same machine may own those.
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(LeakCheck.class);

    private record Snapshot(Set<String> listed, Set<String> ours, Set<Nugatord> daemons, Set<Long> etcdMembers) {}

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(STORE).put("before", new Snapshot(Netns.list(), Netns.live(), Nugatord.running(),
                EtcdCluster.running()));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        var before = context.getStore(STORE).get("before", Snapshot.class);
        var leakedDaemons = new HashSet<>(Nugatord.running());
        leakedDaemons.removeAll(before.daemons());
        var leakedNetns = new HashSet<>(Netns.live());
        leakedNetns.removeAll(before.ours());
        var leakedEtcd = new HashSet<>(EtcdCluster.running());
        leakedEtcd.removeAll(before.etcdMembers());
        reportForeign(before, leakedNetns);
        leakedDaemons.forEach(Nugatord::close);
        leakedEtcd.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        leakedNetns.forEach(Netns::delete);
        if (!leakedDaemons.isEmpty() || !leakedNetns.isEmpty() || !leakedEtcd.isEmpty()) {
            throw new AssertionError(context.getDisplayName() + " leaked: nugatord " + leakedDaemons
                    + ", netns " + leakedNetns + ", etcd member pids " + leakedEtcd + " (removed now)");
        }
    }

    private static void reportForeign(Snapshot before, Set<String> ours) {
        var foreign = new HashSet<>(Netns.list());
        foreign.removeAll(before.listed());
        foreign.removeAll(ours);
        foreign.removeIf(name -> !name.startsWith("nt"));
        if (!foreign.isEmpty()) {
            System.err.println("LeakCheck: namespaces " + foreign + " appeared during the class but were not made"
                    + " through the kit of this JVM (another test run?)");
        }
    }
}
