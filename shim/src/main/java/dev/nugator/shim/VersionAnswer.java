package dev.nugator.shim;

import dev.nugator.wire.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * VERSION is answered by the shim itself: runtimes (libcni, podman) validate a config with
 * VERSION before nugatord may be running, and with no "socket" key in what they send. The shim
 * and nugatord ship together, so the list is the daemon's too.
 *
 * <p>The CNI spec gives VERSION a stdin of {@code {"cniVersion": ...}} only, requires no more than
 * CNI_COMMAND, and has the answer's cniVersion be the one given on input. So a stdin that is empty,
 * not JSON or without cniVersion is no error here (the reference skel does not even read it): the
 * answer then carries our latest version. Nor may VERSION hang on a stdin nobody closes (a
 * terminal): after {@link #STDIN_DEADLINE_MILLIS} the shim answers without it.
 */
final class VersionAnswer {
    static final String SUPPORTED = "[\"0.1.0\",\"0.2.0\",\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]";
    static final String LATEST = "1.1.0";
    static final long STDIN_DEADLINE_MILLIS = 1000;
    /** As much as a network config may be (some runtimes send the whole config); more is not read. */
    private static final int STDIN_LIMIT = Frame.MAX_BODY;

    private VersionAnswer() {}

    static void give(Answer answer, InputStream stdin) {
        Watchdog.start(STDIN_DEADLINE_MILLIS, () -> answer.reply(0, json(LATEST)));
        byte[] request;
        try {
            request = stdin.readNBytes(STDIN_LIMIT);
        } catch (IOException unreadable) {
            request = new byte[0];
        }
        answer.reply(0, json(cniVersionOf(request)));
    }

    /** The request's cniVersion when stdin is a JSON object that gives one, else our latest. */
    static String cniVersionOf(byte[] request) {
        var keys = TopLevelKeys.of(request);
        return keys.problem().isPresent() ? LATEST : keys.get("cniVersion").orElse(LATEST);
    }

    static byte[] json(String cniVersion) {
        return ("{\"cniVersion\":\"" + Answer.escape(cniVersion) + "\",\"supportedVersions\":" + SUPPORTED + "}\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
