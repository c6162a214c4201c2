package dev.nugator.testkit.cri;

import dev.nugator.testkit.Proc;
import dev.nugator.testkit.ProcResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a containerd instance and its shims leave on the machine that deleting their directory does
 * not remove: mounts under the directory (sandbox root filesystems, /dev/shm of sandboxes, bound
 * network namespaces), processes (shims, sandbox processes), the pods' cgroups under the instance's
 * cgroup root, and the shims' sockets in /run/containerd/s. Each is found by something the instance
 * owns (its directory in a command line or a mount point, its cgroup root's name), never by a
 * broad name, so that another containerd on the machine is left alone.
 */
final class HostTraces {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");
    private static final Pattern OCTAL_ESCAPE = Pattern.compile("\\\\([0-7]{3})");

    private HostTraces() {}

    /** Mount points at or under {@code dir}, deepest first (this process's mount namespace: the machine's). */
    static List<Path> mountsUnder(Path dir) {
        try {
            return Files.readAllLines(MOUNTINFO).stream()
                    .map(line -> Path.of(unescape(line.split(" ")[4])))
                    .filter(point -> point.startsWith(dir))
                    .sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unmounts everything under {@code dir} (lazily when a plain unmount is refused); what is left. */
    static List<Path> unmountAll(Path dir) {
        for (Path point : mountsUnder(dir)) {
            ProcResult plain = Proc.of("umount", point.toString()).run();
            if (!plain.succeeded()) {
                Proc.of("umount", "-l", point.toString()).run();
            }
        }
        return mountsUnder(dir);
    }

    /** Live processes whose command line contains {@code marker} (the instance's directory). */
    static List<ProcessHandle> processesMentioning(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .toList();
    }

    /** Live processes in a cgroup under {@code cgroupRoot} (the sandboxes' own processes). */
    static List<ProcessHandle> processesInCgroup(String cgroupRoot) {
        String needle = "/" + cgroupRoot + "/";
        return ProcessHandle.allProcesses().filter(p -> cgroupOf(p).contains(needle)).toList();
    }

    /** {@code <hierarchy>/<cgroupRoot>} in every cgroup hierarchy where it exists. */
    static List<Path> cgroupDirs(String cgroupRoot) {
        try (Stream<Path> hierarchies = Files.list(CGROUPS)) {
            return hierarchies.map(h -> h.resolve(cgroupRoot)).filter(Files::isDirectory).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** rmdir of every cgroup directory under the root, children first (their files are the kernel's). */
    static void removeCgroups(String cgroupRoot) {
        for (Path top : cgroupDirs(cgroupRoot)) {
            try (Stream<Path> dirs = Files.walk(top)) {
                dirs.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).forEach(HostTraces::rmdir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Deletes {@code dir}, then its parents up to {@code stop} (exclusive), as long as they are empty. */
    static void removeIfEmpty(Path dir, Path stop) {
        for (Path d = dir; d != null && !d.equals(stop); d = d.getParent()) {
            try {
                Files.deleteIfExists(d);
            } catch (IOException notEmptySomeoneElseUsesIt) {
                return;
            }
        }
    }

    static void killAll(List<ProcessHandle> processes) {
        processes.forEach(ProcessHandle::destroyForcibly);
    }

    private static void rmdir(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove cgroup " + dir, e);
        }
    }

    private static String cgroupOf(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cgroup"));
        } catch (IOException | UncheckedIOException goneMeanwhile) {
            return "";
        }
    }

    /** mountinfo writes space, tab, newline and backslash as \ooo (octal). */
    private static String unescape(String field) {
        return OCTAL_ESCAPE.matcher(field).replaceAll(m -> Matcher.quoteReplacement(Character.toString(Integer.parseInt(m.group(1), 8))));
    }

    /** Processes of these handles that are still alive, for messages. */
    static List<String> describe(List<ProcessHandle> processes) {
        var described = new ArrayList<String>();
        processes.stream().filter(ProcessHandle::isAlive)
                .forEach(p -> described.add(p.pid() + " " + p.info().commandLine().orElse("?")));
        return described;
    }
}
