package dev.nugator.it;

import dev.nugator.testkit.Await;
import dev.nugator.testkit.CniCall;
import dev.nugator.testkit.EtcdCluster;
import dev.nugator.testkit.Names;
import dev.nugator.testkit.NetConf;
import dev.nugator.testkit.NodeNamespace;
import dev.nugator.testkit.Nugatorctl;
import dev.nugator.testkit.Nugatord;
import dev.nugator.testkit.Pod;
import dev.nugator.testkit.PodIdentity;
import dev.nugator.testkit.RootIntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Records that another writer puts into etcd while nugatord runs reach it by its watch: one it cannot
 * read (a newer release's, a damaged one) must stop neither the watch nor the reconciler, so a link
 * applied after it still takes effect at once in the running pods.
 */
@RootIntegrationTest
class StoreWatchRecordsTest {
    @Test
    void anUnreadableRecordSeenByTheWatchStopsNeitherTheWatchNorTheReconciler() {
        try (var node = NodeNamespace.create(); var etcd = EtcdCluster.start(List.of(node));
             var r1 = Pod.create(); var r2 = Pod.create()) {
            var args = new ArrayList<>(etcd.daemonArgs());
            // a resync an hour away: only the watch can bring the link in time
            args.addAll(List.of("--node", node.name(), "--node-address", node.ip(), "--resync-interval", "3600"));
            try (var daemon = Nugatord.in(node).logLevel("debug").args(args.toArray(String[]::new)).start()) {
                var network = NetConf.nugator(Names.unique("ntlinks"), "1.0.0", daemon.socket());
                add(r1, new PodIdentity("default", "r1"), network);
                add(r2, new PodIdentity("default", "r2"), network);

                etcd.put("/nugator/v1/links/ffffffffffff0bad", "{\"a\": {\"pod\": \"r9\"");
                etcd.put("/nugator/v1/pods/default/r9", "{\"pod\": \"default/r9\"}");
                etcd.put("/nugator/v1/nodes/elsewhere", "not json");
                Nugatorctl.at(daemon.socket()).run("announce", "--pod-name", "r1", "--local-ifname", "e1", "--local-ip", "192.0.2.1/30",
                        "--pair-name", "r2", "--pair-ifname", "e1", "--pair-ip", "192.0.2.2/30").requireSuccess();

                // the reconciler makes the link's two ends one after the other: wait for each
                for (var pod : List.of(r1, r2)) {
                    Await.until("e1 made in " + pod + " by the reconciler, from the watch\n" + Nugatord.tail(daemon.log()),
                            Duration.ofSeconds(30), () -> pod.netns().linkNames(), names -> names.contains("e1"));
                }
            }
        }
    }

    private static void add(Pod pod, PodIdentity identity, com.fasterxml.jackson.databind.node.ObjectNode network) {
        CniCall.of("ADD").pod(pod).ifname("eth0").args(identity.cniArgs()).config(network).run().requireSuccess();
    }
}
