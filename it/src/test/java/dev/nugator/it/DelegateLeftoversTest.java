package dev.nugator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.testkit.Await;
import dev.nugator.testkit.CniResult;
import dev.nugator.testkit.NugatorNode;
import dev.nugator.testkit.Pod;
import dev.nugator.testkit.Proc;
import dev.nugator.testkit.RootIntegrationTest;
import dev.nugator.testkit.ScriptPlugin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Delegates that leave processes behind: a shell's {@code sleep &} that holds the delegate's
 * stdout, and a {@code setsid}'d child that left the delegate's process group. When the delegate
 * exits, or its deadline passes, nugatord ends all of them: nothing outlives the command, no fd
 * leaks, no zombie is left under nugatord.
 */
@RootIntegrationTest
class DelegateLeftoversTest {
    /** Unique arguments, so that this test's sleeps are found and no one else's. */
    private static final String HOLDER = "3051";
    private static final String ESCAPED = "3052";
    private static final String HUNG_ESCAPED = "3053";

    @RegisterExtension
    static final NugatorNode NODE = NugatorNode.create(b -> b.commandTimeout(3));

    @AfterEach
    void killWhatIsLeft() {
        Proc.of("pkill", "-9", "-f", "sleep 30(51|52|53)").run();
    }

    private static List<String> sleeps() {
        var out = Proc.of("pgrep", "-a", "-f", "sleep 30(51|52|53)").run().stdout();
        return out.lines().filter(l -> !l.contains("pgrep")).toList();
    }

    /** nugatord's open file descriptors, each with what it points at. */
    private static List<String> fds(long pid) throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return entries.map(fd -> {
                try {
                    return fd.getFileName() + " -> " + Files.readSymbolicLink(fd);
                } catch (IOException e) {
                    return fd.getFileName() + " (closed meanwhile)";
                }
            }).sorted().toList();
        }
    }

    private static List<String> newFds(long pid, List<String> before) {
        try {
            return fds(pid).stream().filter(fd -> !before.contains(fd)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The JDK starts its virtual-thread pollers (one epoll each, a master, a writer and a reader per
     * carrier up to a cap) the first time a virtual thread blocks on I/O, which can happen in any ADD:
     * at most this many epoll fds may appear once. A leak per call would show five times over.
     */
    private static final int JDK_POLLERS = Runtime.getRuntime().availableProcessors() + 2;

    private static boolean isEpoll(String fd) {
        return fd.endsWith("anon_inode:[eventpoll]");
    }

    /** nugatord's children in state Z: the exit statuses nobody collected. */
    private static List<String> zombiesUnder(long pid) {
        var out = Proc.of("ps", "-o", "pid=,stat=,args=", "--ppid", Long.toString(pid)).run().stdout();
        return out.lines().filter(l -> l.trim().split("\\s+")[1].startsWith("Z")).toList();
    }

    @Test
    void whatAnExitedDelegateLeftRunningIsEndedAndItsOutputIsReadAtOnce() throws Exception {
        var net = TestNetwork.create(NODE, "1.0.0").script("ntleaver");
        ScriptPlugin.install(net.scriptDir(), "ntleaver", """
                cat >/dev/null
                sleep %s &
                ( setsid sleep %s </dev/null >/dev/null 2>&1 & )
                if [ "$CNI_COMMAND" = ADD ]; then
                  printf '{"cniVersion":"1.0.0","interfaces":[],"ips":[]}'
                fi
                exit 0
                """.formatted(HOLDER, ESCAPED));
        long daemon = NODE.daemon().pid();
        Pod pod = NODE.pod();
        net.add(pod).requireSuccess();
        net.del(pod).requireSuccess();
        var before = fds(daemon);

        for (int i = 0; i < 5; i++) {
            Pod next = NODE.pod();
            net.add(next).requireSuccess();
            net.del(next).requireSuccess();
        }

        Await.until("no sleep left by the delegate", Duration.ofSeconds(10), DelegateLeftoversTest::sleeps, List::isEmpty);
        assertThat(zombiesUnder(daemon)).as("zombies under nugatord").isEmpty();
        // eventually: the pipes of the last delegate are closed as its leftovers are ended, a moment after the DEL returns
        Await.until("nugatord's open fds after 5 more ADD+DEL back to at most 2 more than before (listed: those new since)",
                Duration.ofSeconds(5), () -> newFds(daemon, before), added -> added.stream().filter(fd -> !isEpoll(fd)).count() <= 2
                        && added.stream().filter(DelegateLeftoversTest::isEpoll).count() <= JDK_POLLERS);
    }

    @Test
    void whatAHungDelegateStartedIsEndedWithItAtTheDeadline() {
        var net = TestNetwork.create(NODE, "1.0.0").script("nthang");
        ScriptPlugin.install(net.scriptDir(), "nthang", """
                cat >/dev/null
                if [ "$CNI_COMMAND" = ADD ]; then
                  # a double fork: the subshell exits at once, so this sleep is nobody's descendant any more
                  ( setsid sleep %s </dev/null >/dev/null 2>&1 & )
                  sleep 600
                fi
                exit 0
                """.formatted(HUNG_ESCAPED));
        Pod pod = NODE.pod();

        CniResult add = net.call("ADD", pod, "eth0").deadline(Duration.ofSeconds(60)).run();

        assertThat(add.errorCode()).as(add.describe()).isEqualTo(11);
        Await.until("no sleep left by the hung delegate", Duration.ofSeconds(10), DelegateLeftoversTest::sleeps, List::isEmpty);
        assertThat(zombiesUnder(NODE.daemon().pid())).as("zombies under nugatord").isEmpty();
        net.del(pod).requireSuccess();
    }
}
