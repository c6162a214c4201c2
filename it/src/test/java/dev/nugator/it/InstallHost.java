package dev.nugator.it;

import dev.nugator.testkit.CniCall;
import dev.nugator.testkit.Dist;
import dev.nugator.testkit.FileTrees;
import dev.nugator.testkit.Nugatorctl;
import dev.nugator.testkit.ProcResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A host's file system as {@code nugatorctl install} sees it, in a temporary directory: its CNI bin
 * and conf dirs and /opt, and {@code nugatorctl install|uninstall ... --host-root DIR} run against it.
 * {@link #close()} removes it all.
 */
final class InstallHost implements AutoCloseable {
    private final Path root;

    private InstallHost(Path root) {
        this.root = root;
    }

    static InstallHost create() {
        try {
            Path root = Files.createTempDirectory("nthost-");
            Files.createDirectories(root.resolve("opt/cni/bin"));
            Files.createDirectories(root.resolve("etc/cni/net.d"));
            return new InstallHost(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path root() {
        return root;
    }

    Path binDir() {
        return root.resolve("opt/cni/bin");
    }

    Path confDir() {
        return root.resolve("etc/cni/net.d");
    }

    Path shim() {
        return binDir().resolve("nugator");
    }

    Path chained() {
        return confDir().resolve("00-nugator.conflist");
    }

    Path bundles() {
        return root.resolve("opt/nugator");
    }

    /** {@code nugatorctl COMMAND --host-root ROOT ARGS...}; the caller inspects the result. */
    ProcResult nugatorctl(String command, String... args) {
        var all = new ArrayList<>(List.of(command, "--host-root", root.toString()));
        all.addAll(List.of(args));
        return Nugatorctl.bare(Map.of(), all.toArray(String[]::new));
    }

    /** The command line of {@code install --watch}, for a test that runs it in the background. */
    List<String> watchCommand(String... args) {
        var all = new ArrayList<>(List.of(Nugatorctl.executable().toString(), "install", "--chain", "--watch", "--host-root", root.toString()));
        all.addAll(List.of(args));
        return all;
    }

    void write(String confFile, String text) {
        try {
            Files.writeString(confDir().resolve(confFile), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "<missing>";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file under the host root (links as "-> target"), with its content: what a host looks like. */
    Map<String, String> snapshot() {
        var files = new TreeMap<String, String>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                String name = root.relativize(path).toString();
                if (Files.isSymbolicLink(path)) {
                    files.put(name, "-> " + Files.readSymbolicLink(path));
                } else if (Files.isRegularFile(path)) {
                    files.put(name, path.toString().contains("/opt/nugator/") ? Files.size(path) + " bytes" : Files.readString(path));
                } else {
                    files.put(name + "/", "");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /**
     * A CNI call of the installed shim as a runtime on a host without Java makes it: a PATH of sh,
     * readlink and dirname only (what its launcher uses), no JAVA_HOME, nothing of ours in the environment.
     */
    CniCall withoutJava(CniCall call) {
        return withTools(call, "tools", List.of("sh", "readlink", "dirname"));
    }

    /** The same with a PATH of sh alone: a launcher that finds its bundle without running a tool. */
    CniCall withShellOnly(CniCall call) {
        return withTools(call, "shell", List.of("sh"));
    }

    private CniCall withTools(CniCall call, String name, List<String> names) {
        Path tools = sibling(name);
        try {
            if (!Files.isDirectory(tools)) {
                Files.createDirectories(tools);
                for (String tool : names) {
                    Files.createSymbolicLink(tools.resolve(tool), Path.of("/usr/bin", tool));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return call.plugin(shim()).cniPath(binDir() + ":" + Dist.SYSTEM_CNI_BIN).env("PATH", tools.toString())
                .unset("JAVA_HOME").unset("NUGATOR_JAVA").unset("NUGATOR_HOME").unset("JAVA_TOOL_OPTIONS");
    }

    /** A copy of dist/shim-bundle under another version, as a later build would make it. */
    Path otherBundle(String version) {
        Path copy = sibling("bundle-" + version);
        try (Stream<Path> paths = Files.walk(Dist.home().resolve("shim-bundle"))) {
            Path from = Dist.home().resolve("shim-bundle");
            for (Path source : (Iterable<Path>) paths::iterator) {
                Files.copy(source, copy.resolve(from.relativize(source).toString()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
            Files.writeString(copy.resolve("VERSION"), version + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy;
    }

    /** A directory beside the host root, out of {@link #snapshot()}'s sight, removed with it. */
    private Path sibling(String name) {
        return root.resolveSibling(root.getFileName() + "-" + name);
    }

    @Override
    public void close() {
        FileTrees.delete(root);
        try (Stream<Path> siblings = Files.list(root.getParent())) {
            siblings.filter(p -> p.getFileName().toString().startsWith(root.getFileName() + "-")).forEach(FileTrees::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
