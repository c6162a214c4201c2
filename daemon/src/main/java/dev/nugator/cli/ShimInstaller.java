package dev.nugator.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Puts a {@link ShimBundle} on a host and points the CNI bin dir's {@code nugator} at it. Each
 * version has a directory of its own under {@code /opt/nugator}, never changed once there (its
 * launcher learns the way from the link before it is: {@link #writeWayFromLink}); the link
 * is switched in one rename, so a runtime execs either the old shim or the new one. The version the
 * link left is kept (a shim started a moment ago may still be reading it); older ones are removed.
 * The link is relative, so that it means the same on the host as under {@code --host-root}.
 */
final class ShimInstaller {
    /** The launcher's line that {@link #writeWayFromLink} fills in. */
    private static final String FROM_LINK = "from_link=''\n";
    private static final Pattern SAFE_WAY = Pattern.compile("[A-Za-z0-9._+/-]{1,1000}");
    private final HostPaths paths;

    ShimInstaller(HostPaths paths) {
        this.paths = paths;
    }

    /** Installs the bundle and switches the link; returns what it did, for the user. */
    List<String> install(ShimBundle bundle) {
        Path binDir = existingDirectory(paths.binDir(), "--cni-bin-dir");
        Path bundles = HostFiles.directory(paths.bundlesDir());
        Path installed = bundles.resolve(bundle.installName());
        Path way = wayFromBinDir(binDir, installed);
        boolean copied = !Files.isDirectory(installed);
        if (copied) {
            HostFiles.copyTree(bundle.dir(), installed, copy -> writeWayFromLink(copy.resolve(ShimBundle.LAUNCHER), way));
        }
        Path target = way.resolve(ShimBundle.LAUNCHER);
        Optional<Path> previous = installedVersion();
        boolean switched = !currentTarget().equals(Optional.of(target));
        if (switched) {
            HostFiles.swapLink(paths.link(), target);
        }
        removeVersionsBut(installed, previous);
        return List.of((copied ? "installed the shim " : "the shim ") + bundle.version() + " at " + installed
                + (copied ? "" : " (already there)"),
                paths.link() + " -> " + target + (switched ? "" : " (unchanged)"));
    }

    /** Removes the link (when it is ours) and every installed version; returns what it did. */
    List<String> uninstall() {
        var done = new ArrayList<String>();
        Path link = paths.link();
        if (installedVersion().isPresent()) {
            try {
                Files.delete(link);
                done.add("removed " + link);
            } catch (IOException e) {
                throw HostFiles.failure("cannot remove " + link, e);
            }
        } else if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            done.add("left " + link + ": it is not a link to a shim under " + paths.bundlesDir());
        }
        for (Path version : versions()) {
            HostFiles.deleteTree(version);
            done.add("removed " + version);
        }
        removeIfEmpty(paths.bundlesDir()).ifPresent(done::add);
        return done;
    }

    /** The installed version directory the link points into, if it points into one. */
    Optional<Path> installedVersion() {
        return currentTarget().map(t -> realParent(paths.link()).resolve(t).normalize())
                .map(launcher -> launcher.getParent().getParent())
                .filter(dir -> dir.getParent() != null && dir.getParent().equals(realBundles())
                        && dir.getFileName().toString().startsWith("shim-"));
    }

    private Optional<Path> currentTarget() {
        try {
            return Files.isSymbolicLink(paths.link()) ? Optional.of(Files.readSymbolicLink(paths.link())) : Optional.empty();
        } catch (IOException e) {
            throw HostFiles.failure("cannot read the link " + paths.link(), e);
        }
    }

    /** The installed version's directory relative to the bin dir, both resolved on the real file system. */
    private Path wayFromBinDir(Path binDir, Path installed) {
        Path root = realPath(paths.root(), "--host-root");
        Path realBin = realPath(binDir, "--cni-bin-dir");
        if (!realBin.startsWith(root)) {
            throw new CliFailure(2, "--cni-bin-dir " + binDir + " is not under --host-root " + paths.root()
                    + " (really " + realBin + " and " + root + "): the shim's link would point elsewhere on the host");
        }
        return realBin.relativize(realPath(installed.getParent(), "the bundles' dir").resolve(installed.getFileName()));
    }

    /**
     * Writes {@code way} into the launcher's {@code from_link} line (scripts/make-dist.sh): a call
     * through the link then finds the bundle without readlink, a fork and an exec of about 1 ms. A
     * launcher without that line (an older bundle), or a way that would need quoting, is left as it
     * is: it finds the bundle through readlink, as before.
     */
    private static void writeWayFromLink(Path launcher, Path way) throws IOException {
        String text = Files.readString(launcher);
        String path = way.toString();
        if (text.contains(FROM_LINK) && SAFE_WAY.matcher(path).matches()) {
            Files.writeString(launcher, text.replace(FROM_LINK, "from_link='" + path + "'\n"));
        }
    }

    private void removeVersionsBut(Path current, Optional<Path> previous) {
        Path realCurrent = realPath(current, "the installed shim");
        for (Path version : versions()) {
            if (!version.equals(realCurrent) && !previous.equals(Optional.of(version))) {
                HostFiles.deleteTree(version);
            }
        }
    }

    private List<Path> versions() {
        Path bundles = realBundles();
        if (bundles == null) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(bundles)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("shim-") && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted().toList();
        } catch (IOException e) {
            throw HostFiles.failure("cannot list " + bundles, e);
        }
    }

    private Path realBundles() {
        return Files.isDirectory(paths.bundlesDir()) ? realPath(paths.bundlesDir(), "the bundles' dir") : null;
    }

    private static Optional<String> removeIfEmpty(Path dir) {
        try (Stream<Path> entries = Files.isDirectory(dir) ? Files.list(dir) : Stream.of(dir)) {
            if (entries.findAny().isEmpty()) {
                Files.delete(dir);
                return Optional.of("removed " + dir);
            }
            return Optional.empty();
        } catch (IOException e) {
            throw HostFiles.failure("cannot remove " + dir, e);
        }
    }

    static Path existingDirectory(Path dir, String flag) {
        if (!Files.isDirectory(dir)) {
            throw new CliFailure(1, flag + " " + dir + (Files.exists(dir) ? " is not a directory" : " does not exist")
                    + (flag.equals("--cni-bin-dir") ? ": is a container runtime with CNI installed on this host?" : ""));
        }
        return dir;
    }

    private static Path realParent(Path file) {
        return realPath(file.getParent(), "the directory of " + file);
    }

    private static Path realPath(Path path, String what) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw HostFiles.failure("cannot resolve " + what + " " + path, e);
        }
    }
}
