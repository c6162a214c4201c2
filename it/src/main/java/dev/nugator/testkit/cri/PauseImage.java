package dev.nugator.testkit.cri;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.testkit.Json;
import dev.nugator.testkit.Proc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The sandbox ("pause") image, made here because nothing can be pulled: one uncompressed layer
 * holding busybox-static as {@code /bin/busybox} and {@code /bin/sleep}, an entrypoint that sleeps
 * forever, packed as an OCI image layout in a tar archive for {@code ctr images import}. The layer
 * tar is reproducible (sorted, owner 0, mtime 0), so the image's tag, the first 12 hex digits of its
 * manifest digest, changes exactly when busybox does.
 *
 * @param ref the image name to configure as containerd's {@code sandbox_image}
 * @param archive the OCI archive
 */
public record PauseImage(String ref, Path archive) {
    public static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final String LAYER = "application/vnd.oci.image.layer.v1.tar";
    private static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final List<String> TAR_FLAGS = List.of("tar", "--sort=name", "--owner=0", "--group=0",
            "--numeric-owner", "--mtime=@0", "--format=posix", "--pax-option=delete=atime,delete=ctime");

    /** Builds the image under {@code dir} (made if missing; empty) and returns its archive. */
    public static PauseImage build(Path dir) {
        try {
            Path layout = dir.resolve("layout");
            Files.createDirectories(layout.resolve("blobs").resolve("sha256"));
            Descriptor layer = blob(layout, LAYER, layerTar(dir));
            Descriptor config = blob(layout, CONFIG, Json.write(config(layer)).getBytes(StandardCharsets.UTF_8));
            Descriptor manifest = blob(layout, MANIFEST, Json.write(manifest(config, layer)).getBytes(StandardCharsets.UTF_8));
            String tag = manifest.digest().substring("sha256:".length(), "sha256:".length() + 12);
            String ref = "localhost/nugator/pause:" + tag;
            Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            Files.writeString(layout.resolve("index.json"), Json.write(index(manifest, ref, tag)));
            Path archive = dir.resolve("pause-" + tag + ".oci.tar");
            tar(layout, archive, "oci-layout", "index.json", "blobs");
            return new PauseImage(ref, archive);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the pause image in " + dir, e);
        }
    }

    private record Descriptor(String mediaType, String digest, long size) {
        ObjectNode json() {
            return Json.object().put("mediaType", mediaType).put("digest", digest).put("size", size);
        }
    }

    private static byte[] layerTar(Path dir) throws IOException {
        if (!Files.isExecutable(BUSYBOX)) {
            throw new IllegalStateException(BUSYBOX + " is missing: install busybox-static (make deps)");
        }
        Path bin = Files.createDirectories(dir.resolve("rootfs").resolve("bin"));
        Files.copy(BUSYBOX, bin.resolve("busybox"));
        Files.createSymbolicLink(bin.resolve("sleep"), Path.of("busybox"));
        Path layer = dir.resolve("layer.tar");
        tar(dir.resolve("rootfs"), layer, "bin");
        byte[] bytes = Files.readAllBytes(layer);
        Files.delete(layer);
        return bytes;
    }

    private static Descriptor blob(Path layout, String mediaType, byte[] content) throws IOException {
        String hex = sha256(content);
        Files.write(layout.resolve("blobs").resolve("sha256").resolve(hex), content);
        return new Descriptor(mediaType, "sha256:" + hex, content.length);
    }

    private static ObjectNode config(Descriptor layer) {
        var config = Json.object().put("architecture", "amd64").put("os", "linux");
        var run = config.putObject("config");
        run.putArray("Entrypoint").add("/bin/sleep");
        run.putArray("Cmd").add("2147483647");
        var rootfs = config.putObject("rootfs").put("type", "layers");
        rootfs.putArray("diff_ids").add(layer.digest());   // uncompressed: the diff id is the blob's digest
        return config;
    }

    private static ObjectNode manifest(Descriptor config, Descriptor layer) {
        var manifest = Json.object().put("schemaVersion", 2).put("mediaType", MANIFEST);
        manifest.set("config", config.json());
        manifest.putArray("layers").add(layer.json());
        return manifest;
    }

    private static ObjectNode index(Descriptor manifest, String ref, String tag) {
        var entry = manifest.json();
        entry.putObject("annotations").put("io.containerd.image.name", ref).put("org.opencontainers.image.ref.name", tag);
        var index = Json.object().put("schemaVersion", 2);
        index.putArray("manifests").add(entry);
        return index;
    }

    private static void tar(Path from, Path archive, String... entries) {
        var command = new java.util.ArrayList<>(TAR_FLAGS);
        command.addAll(List.of("-C", from.toString(), "-cf", archive.toString()));
        command.addAll(List.of(entries));
        Proc.of(command).check();
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
