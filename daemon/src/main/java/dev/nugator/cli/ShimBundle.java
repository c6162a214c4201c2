package dev.nugator.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The self-contained shim that {@code make build} lays out in {@code dist/shim-bundle}: a jlinked
 * runtime, the shim's jars and AOT cache, {@code bin/nugator}, and a {@code VERSION} that names the
 * directory it is installed in.
 */
record ShimBundle(Path dir, String version) {
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,99}");
    static final String LAUNCHER = "bin/nugator";

    /** The bundle at {@code dir}, checked: its launcher and runtime present, its version usable as a directory name. */
    static ShimBundle at(Path dir) {
        Path versionFile = dir.resolve("VERSION");
        if (!Files.isDirectory(dir)) {
            throw new CliFailure(1, "no shim bundle at " + dir + ": not a directory (make build makes dist/shim-bundle; or pass --bundle DIR)");
        }
        for (String part : new String[] {LAUNCHER, "runtime/bin/java", "VERSION"}) {
            if (!Files.isRegularFile(dir.resolve(part))) {
                throw new CliFailure(1, "the shim bundle at " + dir + " is incomplete: " + dir.resolve(part) + " is missing");
            }
        }
        String version;
        try {
            version = Files.readString(versionFile).strip();
        } catch (IOException e) {
            throw new CliFailure(1, "cannot read " + versionFile + ": " + e.getMessage());
        }
        if (!VERSION.matcher(version).matches()) {
            throw new CliFailure(1, versionFile + " holds '" + version + "', not a version (letters, digits, . _ + -)");
        }
        return new ShimBundle(dir, version);
    }

    /** dist/shim-bundle beside the dist/lib/daemon this nugatorctl runs from. */
    static Path besideThisProgram() {
        try {
            Path jar = Path.of(ShimBundle.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dist = jar.getParent().getParent().getParent();
            return dist.resolve("shim-bundle");
        } catch (URISyntaxException | NullPointerException e) {
            return Path.of("shim-bundle").toAbsolutePath();
        }
    }

    /** The directory name under /opt/nugator. */
    String installName() {
        return "shim-" + version;
    }
}
