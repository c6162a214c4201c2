package dev.nugator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Chained mode: the node's primary network (the first config file in lexical order, as libcni
 * picks it, leaving our own file out) with nugator appended to its plugins, written as
 * {@value HostPaths#CHAIN_FILE}. The network keeps its name, so that results the runtime cached
 * for pods made before the install still match. A {@code .conf} becomes a one-plugin list, as
 * libcni turns it into one.
 */
final class ChainConfig {
    private static final List<String> EXTENSIONS = List.of(".conf", ".conflist", ".json");

    private final HostPaths paths;
    private final Path socket;

    ChainConfig(HostPaths paths, Path socket) {
        this.paths = paths;
        this.socket = socket;
    }

    /** The primary config file, if the conf dir has one besides ours. */
    Optional<Path> primary() {
        Path dir = ShimInstaller.existingDirectory(paths.confDir(), "--cni-conf-dir");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(ChainConfig::isConfig).filter(f -> !f.getFileName().toString().equals(HostPaths.CHAIN_FILE))
                    .min((a, b) -> Arrays.compare(name(a), name(b)));
        } catch (IOException e) {
            throw HostFiles.failure("cannot list " + dir, e);
        }
    }

    /** Our file's bytes for this primary: its network, nugator last. */
    byte[] chained(Path primary) {
        ObjectNode list = asList(primary);
        var plugins = list.withArray("plugins");
        boolean present = false;
        for (JsonNode plugin : plugins) {
            present |= "nugator".equals(plugin.path("type").asText());
        }
        if (!present) {
            plugins.addObject().put("type", "nugator").put("socket", socket.toString());
        }
        return (Json.pretty(list) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Writes our file when it differs from what it should be; true when it was written. */
    boolean writeFor(Path primary) {
        byte[] wanted = chained(primary);
        Path file = paths.chainFile();
        try {
            if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), wanted)) {
                return false;
            }
        } catch (IOException e) {
            throw HostFiles.failure("cannot read " + file, e);
        }
        HostFiles.write(file, wanted);
        return true;
    }

    /** Removes our file; true when there was one. */
    boolean remove() {
        try {
            return Files.deleteIfExists(paths.chainFile());
        } catch (IOException e) {
            throw HostFiles.failure("cannot remove " + paths.chainFile(), e);
        }
    }

    /** A file that sorts before ours is the one the runtime uses: then ours is not. */
    boolean sortsBeforeOurs(Path primary) {
        return Arrays.compare(name(primary), HostPaths.CHAIN_FILE.getBytes(StandardCharsets.UTF_8)) < 0;
    }

    private ObjectNode asList(Path file) {
        ObjectNode config;
        try {
            config = Json.parseObject(Files.readAllBytes(file), "the primary network config " + file);
        } catch (IOException e) {
            throw HostFiles.failure("cannot read the primary network config " + file, e);
        } catch (RuntimeException e) {
            throw new CliFailure(1, e.getMessage());
        }
        if (!config.hasNonNull("name") || !config.get("name").isTextual()) {
            throw new CliFailure(1, "the primary network config " + file + " has no \"name\"");
        }
        if (config.has("plugins")) {
            if (!config.get("plugins").isArray() || config.get("plugins").isEmpty()) {
                throw new CliFailure(1, "the primary network config " + file + ": \"plugins\" is not a list of plugins");
            }
            return config;
        }
        if (!config.path("type").isTextual()) {
            throw new CliFailure(1, "the primary network config " + file + " has neither \"plugins\" nor \"type\"");
        }
        var list = Json.MAPPER.createObjectNode();
        if (config.has("cniVersion")) {
            list.set("cniVersion", config.get("cniVersion"));
        }
        list.set("name", config.get("name"));
        list.putArray("plugins").add(config);
        return list;
    }

    private static boolean isConfig(Path file) {
        String name = file.getFileName().toString();
        return !name.startsWith(".") && EXTENSIONS.stream().anyMatch(name::endsWith) && Files.isRegularFile(file);
    }

    private static byte[] name(Path file) {
        return file.getFileName().toString().getBytes(StandardCharsets.UTF_8);
    }
}
