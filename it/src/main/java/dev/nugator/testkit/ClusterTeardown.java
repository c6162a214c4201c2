package dev.nugator.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What a {@link ClusterLab} does after each test, also a failed one: kubelet draining the nodes
 * (whole cluster back, every attached sandbox DELed), then nothing may be left: no port or tunnel
 * in any panel, nothing of nugator's in any node namespace, no pod record in the store, and, once
 * everything is closed, no pod, node or panel namespace, no nugatord or etcd process, no temp dir.
 * Leaks fail the test (after being removed).
 */
final class ClusterTeardown {
    /** How long the drain waits for the product to tidy up. */
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(20);
    private static final Duration TEARDOWN_CALL_DEADLINE = Duration.ofSeconds(40);

    private final ClusterLab lab;
    private final List<String> problems = new ArrayList<>();

    ClusterTeardown(ClusterLab lab) {
        this.lab = lab;
    }

    void run(String test) throws Exception {
        Throwable failure = null;
        try {
            drain();
        } catch (RuntimeException | AssertionError e) {
            failure = e;
        }
        var daemons = lab.startedDaemons();
        var pids = new ArrayList<Long>();
        daemons.stream().filter(Nugatord::isAlive).forEach(d -> pids.add(d.pid()));
        pids.addAll(EtcdCluster.running());
        var sandboxes = lab.pods().stream().flatMap(p -> p.allSandboxes().stream()).toList();
        var dirs = new ArrayList<Path>(lab.tempDirs());
        daemons.forEach(d -> dirs.add(d.socket().getParent()));
        if (lab.etcd() != null) {
            dirs.add(lab.etcd().dir());
        }
        var namespaces = new ArrayList<String>(lab.nodeNames());
        daemons.forEach(d -> namespaces.add(d.panel().name()));
        try {
            lab.closeEverything();
        } catch (Exception | AssertionError e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        sandboxes.stream().filter(s -> s.netns().exists()).forEach(s -> problems.add("pod namespace " + s.netns() + " left"));
        namespaces.stream().filter(n -> Files.exists(Path.of("/run/netns", n))).forEach(n -> problems.add("namespace " + n + " left"));
        for (long pid : pids) {
            ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(p -> {
                problems.add("process " + pid + " " + p.info().command().orElse("?") + " still runs");
                p.destroyForcibly();
            });
        }
        ProcessHandle.current().descendants().filter(ClusterTeardown::isOurs).forEach(p -> {
            problems.add("process " + p.pid() + " " + p.info().commandLine().orElse("?") + " still runs");
            p.destroyForcibly();
        });
        dirs.stream().filter(Files::exists).forEach(d -> {
            problems.add("temp dir " + d + " left");
            FileTrees.delete(d);
        });
        if (failure == null && problems.isEmpty()) {
            return;
        }
        throw new AssertionError("after " + test + ": "
                + (problems.isEmpty() ? "clean-up failed" : "leaked " + String.join("; ", problems)), failure);
    }

    /** Kubelet draining the nodes: whole cluster back, every attached sandbox DELed, then nothing may be left. */
    private void drain() {
        if (lab.etcd() == null || lab.startedDaemons().size() < lab.size()) {
            return;
        }
        if (lab.etcd().runningMembers().size() < lab.etcd().size()) {
            lab.etcd().startAll();
        }
        for (int i = 1; i <= lab.size(); i++) {
            if (!lab.daemon(i).isAlive()) {
                lab.daemon(i).restart();
            }
        }
        var calls = new ArrayList<Future<String>>();
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            for (ClusterPod pod : lab.pods()) {
                pod.attachedSandboxes().forEach((sandbox, node) -> calls.add(pool.submit(() -> {
                    var del = pod.delSandbox(sandbox, node, TEARDOWN_CALL_DEADLINE);
                    return del.succeeded() ? null : "DEL of " + pod.ref() + " (" + sandbox + ") on node " + node
                            + " failed: " + del.describe();
                })));
            }
            for (var call : calls) {
                collect(call);
            }
        }
        try {
            Await.until("no port or tunnel left in the panels once every pod is DELed", DRAIN_WAIT,
                    lab.panels()::stray, Map::isEmpty);
        } catch (AssertionError e) {
            problems.add("interfaces left in the nodes " + lab.panels().stray());
        }
        var store = lab.store();
        try {
            Await.until("no pod record left in the store once every pod is DELed", DRAIN_WAIT, store::podKeys, List::isEmpty);
        } catch (AssertionError e) {
            problems.add("pod records left in the store " + store.podKeys());
        }
    }

    private void collect(Future<String> call) {
        try {
            String problem = call.get();
            if (problem != null) {
                problems.add(problem);
            }
        } catch (ExecutionException e) {
            problems.add("DEL threw " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("interrupted while draining");
        }
    }

    private static boolean isOurs(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        var info = p.info();
        if (info.command().map(c -> c.equals(EtcdCluster.ETCD.toString())).orElse(false)) {
            return true;
        }
        return info.arguments().map(args -> List.of(args).contains("-Dnugator.process=nugatord")).orElse(false);
    }
}
