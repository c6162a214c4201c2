package dev.nugator.shim;

import dev.nugator.wire.Frame;
import dev.nugator.wire.ShimReply;
import dev.nugator.wire.ShimRequest;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;

/** One request to nugatord and its reply, each phase under a deadline kept by a watchdog thread. */
final class DaemonExchange {
    /** CNI error codes the shim itself can give. */
    static final int TRY_AGAIN_LATER = 11;
    static final int NOT_AVAILABLE = 50;
    static final String SELECTOR_PROVIDER = "java.nio.channels.spi.SelectorProvider";
    /** What the JDK on Linux takes when no provider is named. */
    static final String LINUX_SELECTOR_PROVIDER = "sun.nio.ch.EPollSelectorProvider";

    private final Path socket;
    private final long connectDeadlineMillis;
    private final long replyDeadlineMillis;
    private final Answer answer;

    DaemonExchange(Path socket, long connectDeadlineMillis, long replyDeadlineMillis, Answer answer) {
        this.socket = socket;
        this.connectDeadlineMillis = connectDeadlineMillis;
        this.replyDeadlineMillis = replyDeadlineMillis;
        this.answer = answer;
    }

    void run(Map<String, String> env, byte[] stdin, boolean isStatus) {
        int unreachableCode = isStatus ? NOT_AVAILABLE : TRY_AGAIN_LATER;
        // The channel is opened before the clock starts: opening the first UNIX socket initialises
        // JDK classes (a SecureRandom among them), which on a starved CPU can take longer than the
        // whole deadline, and that is no sign of a daemon that does not answer.
        // The JDK's first channel looks for a SelectorProvider service in every module and on the
        // class path before it takes its default; naming the default spares that search.
        if (System.getProperty(SELECTOR_PROVIDER) == null) {
            System.setProperty(SELECTOR_PROVIDER, LINUX_SELECTOR_PROVIDER);
        }
        try (var channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            var watchdog = Watchdog.start(connectDeadlineMillis, () -> answer.error(unreachableCode,
                    "nugatord did not accept a connection on " + socket + " in time", startHint()));
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                answer.error(unreachableCode, "cannot reach nugatord at " + socket + ": " + describe(e), startHint());
                return;
            }
            watchdog.rearm(replyDeadlineMillis, () -> answer.error(TRY_AGAIN_LATER,
                    "nugatord at " + socket + " did not answer within " + replyDeadlineMillis / 1000 + " s", ""));
            new ShimRequest(env, stdin).toFrame().writeTo(Channels.newOutputStream(channel));
            var reply = ShimReply.fromFrame(Frame.readFrom(Channels.newInputStream(channel)));
            answer.reply(reply.exitCode(), reply.stdout());
        } catch (IOException e) {
            answer.error(TRY_AGAIN_LATER, "lost nugatord at " + socket + ": " + describe(e),
                    "nugatord may have stopped or been upgraded during the call; the runtime may retry");
        }
    }

    private String startHint() {
        return "start the node daemon with `nugatord --socket " + socket + "` (as root; on Kubernetes, check the nugator DaemonSet),"
                + " or set \"socket\" in the network config to where nugatord listens";
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
