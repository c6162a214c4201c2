package dev.nugator.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The machines of a {@link ClusterLab}: a {@link Fabric} with the underlay's MTU, node namespaces
 * on it, an {@link EtcdCluster} with member i in node i, and one nugatord per node. Built step by
 * step so that a failure half-way leaves something {@link #close()} removes whole.
 */
final class ClusterNodes implements AutoCloseable {
    /** Library loggers that at debug level print every gRPC frame and would fill a log tail. */
    private static final Pattern LIBRARY_DEBUG = Pattern.compile("\\b(DEBUG|TRACE) (io\\.netty|io\\.grpc|io\\.etcd|Netty|Grpc|KVImpl)\\S* - ");

    private final Fabric fabric;
    private final List<NodeNamespace> nodes = new ArrayList<>();
    private EtcdCluster etcd;
    private Nugatord[] daemons;

    /** The fabric alone; {@link #addNodes}, {@link #startEtcd} and {@link #startDaemons} follow. */
    ClusterNodes(int underlayMtu) {
        this.fabric = Fabric.create(underlayMtu);
    }

    void addNodes(int size) {
        for (int i = 0; i < size; i++) {
            nodes.add(NodeNamespace.on(fabric));
        }
    }

    void startEtcd(boolean tls) {
        etcd = tls ? EtcdCluster.startTls(nodes) : EtcdCluster.start(nodes);
    }

    /** {@code start} starts node i's daemon (1-based). */
    void startDaemons(IntFunction<Nugatord> start) {
        daemons = ClusterBringUp.startDaemons(nodes.size(), start, toString());
    }

    Fabric fabric() {
        return fabric;
    }

    NodeNamespace node(int i) {
        return nodes.get(i - 1);
    }

    EtcdCluster etcd() {
        return etcd;
    }

    Nugatord daemon(int i) {
        return daemons[i - 1];
    }

    /** The daemons that were started (all of them, unless the start-up failed half-way). */
    List<Nugatord> daemons() {
        return daemons == null ? List.of() : Arrays.stream(daemons).filter(Objects::nonNull).toList();
    }

    List<String> nodeNames() {
        return nodes.stream().map(NodeNamespace::name).toList();
    }

    /** Every daemon's log tail without the gRPC/Netty wire chatter, for assertion messages. */
    String logTails() {
        var text = new StringBuilder();
        for (int i = 1; daemons != null && i <= daemons.length; i++) {
            if (daemons[i - 1] != null) {
                String own = daemons[i - 1].log().lines().filter(l -> !LIBRARY_DEBUG.matcher(l).find())
                        .collect(Collectors.joining("\n"));
                text.append("--- nugatord on node ").append(i).append(" (").append(node(i).name()).append(") ---\n")
                        .append(Nugatord.tail(own)).append('\n');
            }
        }
        return text.toString();
    }

    /** Daemons (with their panels), etcd, nodes, fabric: everything that was made; safe twice. */
    @Override
    public void close() throws Exception {
        var all = new ArrayList<AutoCloseable>();
        if (daemons != null) {
            all.addAll(Arrays.asList(daemons));
        }
        all.add(etcd);
        all.addAll(nodes);
        all.add(fabric);
        CloseAll.closeAll(all);
    }

    /** "1: ntnode-..(198.18.0.1), 2: ..." for messages. */
    @Override
    public String toString() {
        return IntStream.rangeClosed(1, nodes.size()).mapToObj(i -> i + ": " + node(i)).collect(Collectors.joining(", "));
    }
}
