package dev.nugator.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nugator.cni.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAttachmentStoreTest {
    @TempDir
    Path dir;

    static Attachment attachment(String network, String container, String ifname) {
        return new Attachment(Attachment.FORMAT, new AttachmentKey(network, container, ifname), "/run/netns/p", "1.1.0", "",
                true, List.of());
    }

    static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void anAttachmentWhoseIfnameStartsWithADotIsListed() {
        var store = new FileAttachmentStore(dir, Json.MAPPER);
        store.save(attachment("net", "c1", ".x"));
        store.save(attachment("net", "c1", "eth0"));

        assertThat(store.list("net")).containsExactlyInAnyOrder(new AttachmentKey("net", "c1", ".x"), new AttachmentKey("net", "c1", "eth0"));
        assertThat(store.load(new AttachmentKey("net", "c1", ".x"))).hasValue(attachment("net", "c1", ".x"));
    }

    @Test
    void aSaveLeavesOnlyItsRecordAndALoadOfNoneIsEmpty() throws Exception {
        var store = new FileAttachmentStore(dir, Json.MAPPER);
        assertThat(store.load(new AttachmentKey("net", "c1", "eth0"))).isEmpty();

        store.save(attachment("net", "c1", "eth0"));
        store.save(attachment("net", "c1", "eth0"));

        try (var files = Files.list(dir.resolve("attachments/net/c1"))) {
            assertThat(files).extracting(f -> f.getFileName().toString()).containsExactly("eth0.json");
        }
        assertThat(store.load(new AttachmentKey("net", "c1", "eth0"))).hasValue(attachment("net", "c1", "eth0"));
    }

    @Test
    void aStateDirectoryOfTheFormerVersionIsReadWholeAndItsTemporaryFilesAreNotRecords() throws Exception {
        Path container = Files.createDirectories(dir.resolve("attachments/net/c1"));
        Files.write(container.resolve("eth0.json"), Json.MAPPER.writeValueAsBytes(attachment("net", "c1", "eth0")));
        Files.write(container.resolve(".eth0.json.3f1c6a2e-0000-4000-8000-000000000000.tmp"), new byte[] {'{'});
        Files.write(container.resolve("..x.json.3f1c6a2e-0000-4000-8000-000000000001.tmp"), new byte[] {'{'});

        var store = new FileAttachmentStore(dir, Json.MAPPER);

        assertThat(store.list("net")).containsExactly(new AttachmentKey("net", "c1", "eth0"));
        assertThat(store.load(new AttachmentKey("net", "c1", "eth0"))).hasValue(attachment("net", "c1", "eth0"));
    }

    @Test
    void stateIsPrivateDirectories0700Records0600() throws Exception {
        Path state = dir.resolve("state");
        var store = new FileAttachmentStore(state, Json.MAPPER);
        store.save(attachment("net", "c1", "eth0"));

        assertThat(mode(state)).isEqualTo("rwx------");
        assertThat(mode(state.resolve("attachments"))).isEqualTo("rwx------");
        assertThat(mode(state.resolve("attachments/net"))).isEqualTo("rwx------");
        assertThat(mode(state.resolve("attachments/net/c1"))).isEqualTo("rwx------");
        assertThat(mode(state.resolve("attachments/net/c1/eth0.json"))).isEqualTo("rw-------");
    }

    @Test
    void aWorldReadableStateDirectoryOfAnOlderVersionIsMadePrivateAtStart() throws Exception {
        Path state = dir.resolve("state");
        Path record = state.resolve("attachments/net/c1/eth0.json");
        Files.createDirectories(record.getParent());
        Files.write(record, Json.MAPPER.writeValueAsBytes(attachment("net", "c1", "eth0")));
        for (Path path : List.of(state, state.resolve("attachments"), state.resolve("attachments/net"), record.getParent())) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(record, PosixFilePermissions.fromString("rw-r--r--"));

        var store = new FileAttachmentStore(state, Json.MAPPER);

        assertThat(mode(state)).isEqualTo("rwx------");
        assertThat(mode(state.resolve("attachments/net"))).isEqualTo("rwx------");
        assertThat(mode(record.getParent())).isEqualTo("rwx------");
        assertThat(mode(record)).isEqualTo("rw-------");
        assertThat(store.list("net")).containsExactly(new AttachmentKey("net", "c1", "eth0"));
    }

    @Test
    void statusWritesToKnowTheStateDirectoryTakesWritesAndLeavesNothing() throws Exception {
        var store = new FileAttachmentStore(dir, Json.MAPPER);

        assertThat(store.unavailableReason()).isEmpty();
        try (var left = Files.list(dir.resolve("attachments"))) {
            assertThat(left).isEmpty();
        }
    }
}
