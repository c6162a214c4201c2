package dev.nugator.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test node with one nugatord shared by all tests of a class (starting a JVM daemon per test
 * would make the suite slow for no gain), plus per-test resources that are always removed after
 * each test, also when it fails: pods, temp dirs, anything {@link #track tracked}.
 *
 * <pre>{@code
 * @RootIntegrationTest
 * class SomeTest {
 *     @RegisterExtension
 *     static final NugatorNode NODE = NugatorNode.create();
 *
 *     @Test
 *     void something() {
 *         Pod pod = NODE.pod();
 *         CniCall.of("ADD").pod(pod).ifname("eth0").config(NetConf.seedDemo(NODE.socket(), NODE.tempDir())).run();
 *     }
 * }
 * }</pre>
 */
public final class NugatorNode implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    private final UnaryOperator<Nugatord.Builder> options;
    private final boolean withDaemon;
    private final Deque<AutoCloseable> perTest = new ArrayDeque<>();
    private NodeNamespace node;
    private Nugatord daemon;

    private NugatorNode(UnaryOperator<Nugatord.Builder> options, boolean withDaemon) {
        this.options = options;
        this.withDaemon = withDaemon;
    }

    /** A node with a nugatord at log level info and default flags. */
    public static NugatorNode create() {
        return new NugatorNode(UnaryOperator.identity(), true);
    }

    /** A node with a nugatord configured by {@code options} (e.g. {@code b -> b.commandTimeout(2)}). */
    public static NugatorNode create(UnaryOperator<Nugatord.Builder> options) {
        return new NugatorNode(options, true);
    }

    /** A node without a shared daemon, for tests that start and stop their own. */
    public static NugatorNode withoutDaemon() {
        return new NugatorNode(UnaryOperator.identity(), false);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        node = NodeNamespace.create();
        if (withDaemon) {
            daemon = options.apply(Nugatord.in(node)).start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        CloseAll.closeAll(drain());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        CloseAll.closeAll(drain());
        var rest = new ArrayDeque<AutoCloseable>();
        if (node != null) {
            rest.push(node);
        }
        if (daemon != null) {
            rest.push(daemon);
        }
        CloseAll.closeAll(rest);
    }

    public NodeNamespace node() {
        return node;
    }

    /** The shared daemon; an IllegalStateException for {@link #withoutDaemon()} nodes. */
    public Nugatord daemon() {
        if (daemon == null) {
            throw new IllegalStateException("this NugatorNode has no shared nugatord");
        }
        return daemon;
    }

    /** The shared daemon's socket: the value of the config's "socket" key. */
    public Path socket() {
        return daemon().socket();
    }

    /** A fresh pod namespace, removed after the current test. */
    public Pod pod() {
        return track(Pod.create());
    }

    /** A fresh temp dir (for host-local dataDir, script plugins, ...), removed after the current test. */
    public Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("nttest-");
            track(() -> FileTrees.delete(dir));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes {@code resource} after the current test, in reverse order of tracking. */
    public <T extends AutoCloseable> T track(T resource) {
        synchronized (perTest) {
            perTest.push(resource);
        }
        return resource;
    }

    private Deque<AutoCloseable> drain() {
        synchronized (perTest) {
            var all = new ArrayDeque<>(perTest);
            perTest.clear();
            return all;
        }
    }
}
