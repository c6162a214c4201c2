package dev.nugator.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the built product and the fixtures are. Surefire passes {@code nugator.dist} and
 * {@code nugator.fixtures}; outside Maven the repository layout relative to the working directory
 * is tried. A missing build is an error, never a skip: a test run that silently tested nothing
 * would look green.
 */
public final class Dist {
    /** Where Debian's containernetworking-plugins put bridge, macvlan, host-local, loopback. */
    public static final Path SYSTEM_CNI_BIN = Path.of("/usr/lib/cni");

    private Dist() {}

    public static Path home() {
        return locate("nugator.dist", "dist");
    }

    public static Path fixtures() {
        return locate("nugator.fixtures", "fixtures");
    }

    public static Path bin() {
        return home().resolve("bin");
    }

    /** The CNI executable the runtime would exec. */
    public static Path shim() {
        return require(bin().resolve("nugator"));
    }

    public static Path nugatord() {
        return require(bin().resolve("nugatord"));
    }

    /** The CNI_PATH a runtime on this machine would pass: our bin dir first, then Debian's plugins. */
    public static String defaultCniPath() {
        return bin() + ":" + SYSTEM_CNI_BIN;
    }

    public static Path seedFixture(String name) {
        return require(fixtures().resolve("seed").resolve(name));
    }

    private static Path require(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " does not exist: run `make build` first"
                    + " (or point -Dnugator.dist / -Dnugator.fixtures at the right directories)");
        }
        return file;
    }

    private static Path locate(String property, String dirName) {
        String configured = System.getProperty(property);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(dirName)) && Files.isRegularFile(dir.resolve("Makefile"))) {
                return dir.resolve(dirName);
            }
        }
        return Path.of(dirName).toAbsolutePath();
    }
}
