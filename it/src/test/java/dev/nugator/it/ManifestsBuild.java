package dev.nugator.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code kubectl kustomize} for our manifests, here where there is no kustomize (Debian 12's kubectl
 * 1.20 embeds kustomize 2.0, which predates directories in {@code resources} and {@code patches}).
 * It does what kustomize does, in kustomize's order (resources, components, generators, patches,
 * namespace), for exactly the features our kustomizations use, and refuses any other key, so a
 * feature it does not know cannot pass unchecked.
 */
final class ManifestsBuild {
    static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> KEYS = Set.of("apiVersion", "kind", "namespace", "resources", "components", "patches",
            "secretGenerator", "generatorOptions");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition");

    private ManifestsBuild() {}

    /** The objects {@code kubectl apply -k dir} would send. */
    static List<ObjectNode> build(Path dir) {
        var objects = new ArrayList<ObjectNode>();
        apply(dir, "Kustomization", objects);
        var ids = new HashSet<String>();
        for (var object : objects) {
            String id = object.path("kind").asText() + "/" + object.at("/metadata/namespace").asText() + "/" + object.at("/metadata/name").asText();
            if (!ids.add(id)) {
                throw new AssertionError(dir + ": " + id + " is defined twice");
            }
        }
        return objects;
    }

    private static void apply(Path dir, String kind, List<ObjectNode> objects) {
        Path file = dir.resolve("kustomization.yaml");
        var kustomization = (ObjectNode) read(file).getFirst();
        kustomization.fieldNames().forEachRemaining(key -> {
            if (!KEYS.contains(key)) {
                throw new AssertionError(file + ": '" + key + "' is not emulated by this test; extend ManifestsBuild");
            }
        });
        if (!kustomization.path("kind").asText().equals(kind)) {
            throw new AssertionError(file + ": kind " + kustomization.path("kind") + ", expected " + kind);
        }
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = dir.resolve(resource.asText()).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(build(path));
            } else {
                read(path).forEach(node -> objects.add((ObjectNode) node));
            }
        }
        for (JsonNode component : kustomization.path("components")) {
            apply(dir.resolve(component.asText()).normalize(), "Component", objects);
        }
        generateSecrets(dir, kustomization, objects);
        for (JsonNode patch : kustomization.path("patches")) {
            patch(dir, patch, objects);
        }
        if (kustomization.has("namespace")) {
            objects.stream().filter(o -> !CLUSTER_SCOPED.contains(o.path("kind").asText()))
                    .forEach(o -> o.with("metadata").put("namespace", kustomization.get("namespace").asText()));
        }
    }

    private static void generateSecrets(Path dir, ObjectNode kustomization, List<ObjectNode> objects) {
        if (!kustomization.has("secretGenerator")) {
            return;
        }
        if (!kustomization.at("/generatorOptions/disableNameSuffixHash").asBoolean(false)) {
            throw new AssertionError(dir + ": generated names with a hash suffix are not emulated");
        }
        for (JsonNode generator : kustomization.get("secretGenerator")) {
            var secret = YAML.createObjectNode().put("apiVersion", "v1").put("kind", "Secret").put("type", "Opaque");
            secret.putObject("metadata").put("name", generator.path("name").asText());
            var data = secret.putObject("data");
            for (JsonNode entry : generator.path("files")) {
                String spec = entry.asText();
                String key = spec.contains("=") ? spec.substring(0, spec.indexOf('=')) : Path.of(spec).getFileName().toString();
                Path source = dir.resolve(spec.contains("=") ? spec.substring(spec.indexOf('=') + 1) : spec);
                data.put(key, Base64.getEncoder().encodeToString(bytes(source)));
            }
            objects.add(secret);
        }
    }

    /** A JSON 6902 patch (a YAML list of operations) applied to the objects its target names. */
    private static void patch(Path dir, JsonNode patch, List<ObjectNode> objects) {
        Path file = dir.resolve(patch.path("path").asText());
        JsonNode operations = read(file).getFirst();
        if (!operations.isArray()) {
            throw new AssertionError(file + ": only JSON 6902 patches (a list of operations) are emulated");
        }
        JsonNode target = patch.path("target");
        String apiVersion = target.path("group").asText().isEmpty() ? target.path("version").asText()
                : target.path("group").asText() + "/" + target.path("version").asText();
        var matched = objects.stream().filter(o -> o.path("kind").asText().equals(target.path("kind").asText())
                && o.at("/metadata/name").asText().equals(target.path("name").asText())
                && o.path("apiVersion").asText().equals(apiVersion)).toList();
        if (matched.isEmpty()) {
            throw new AssertionError(file + ": the target " + target + " matches nothing");
        }
        matched.forEach(object -> operations.forEach(op -> operate(file, object, op)));
    }

    private static void operate(Path file, ObjectNode object, JsonNode op) {
        String path = op.path("path").asText();
        int slash = path.lastIndexOf('/');
        JsonNode parent = object.at(path.substring(0, slash));
        String last = path.substring(slash + 1).replace("~1", "/").replace("~0", "~");
        String kind = op.path("op").asText();
        if (parent.isMissingNode()) {
            throw new AssertionError(file + ": " + kind + " " + path + ": the parent does not exist");
        }
        if (parent instanceof ArrayNode array) {
            int index = last.equals("-") ? array.size() : Integer.parseInt(last);
            switch (kind) {
                case "add" -> array.insert(index, op.get("value").deepCopy());
                case "replace" -> array.set(existing(file, path, array, index), op.get("value").deepCopy());
                case "remove" -> array.remove(existing(file, path, array, index));
                default -> throw new AssertionError(file + ": operation '" + kind + "' is not emulated");
            }
        } else if (parent instanceof ObjectNode map) {
            if (!kind.equals("add") && !map.has(last)) {
                throw new AssertionError(file + ": " + kind + " " + path + ": nothing there");
            }
            switch (kind) {
                case "add", "replace" -> map.set(last, op.get("value").deepCopy());
                case "remove" -> map.remove(last);
                default -> throw new AssertionError(file + ": operation '" + kind + "' is not emulated");
            }
        } else {
            throw new AssertionError(file + ": " + path + ": the parent is not an object or a list");
        }
    }

    private static int existing(Path file, String path, ArrayNode array, int index) {
        if (index < 0 || index >= array.size()) {
            throw new AssertionError(file + ": " + path + ": no element " + index);
        }
        return index;
    }

    /** Every YAML document of a file, empty ones left out. */
    static List<JsonNode> read(Path file) {
        try (var parser = YAML.createParser(file.toFile())) {
            return YAML.readValues(parser, JsonNode.class).readAll().stream().filter(n -> n != null && !n.isMissingNode() && !n.isNull()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (a secretGenerator file)", e);
        }
    }
}
