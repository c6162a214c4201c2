package dev.nugator.netlink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs iproute2 in tests only: to make and remove namespaces and to see what the kernel shows. */
final class Ip {
    private Ip() {}

    /** Runs {@code ip ARGS} and returns its stdout; fails on a non-zero exit. */
    static String run(String... arguments) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(arguments));
        return command(command.toArray(String[]::new));
    }

    /** Runs an iproute2 tool ({@code ip}, {@code bridge}) and returns its stdout. */
    static String command(String... words) {
        List<String> command = List.of(words);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    /** {@code ip -n NETNS -j -d link show dev NAME}: JSON, as the kernel reports the link. */
    static String linkJson(String netns, String name) {
        return run("-n", netns, "-j", "-d", "link", "show", "dev", name);
    }

    static String addressJson(String netns, String name) {
        return run("-n", netns, "-j", "addr", "show", "dev", name);
    }
}
