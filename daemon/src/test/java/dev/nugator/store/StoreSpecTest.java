package dev.nugator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoreSpecTest {
    static final Path STATE = Path.of("/var/lib/nugator");

    @Test
    void absentMeansAnEmbeddedStoreInTheStateDirectory() {
        assertThat(StoreSpec.parse(null, STATE)).isEqualTo(new StoreSpec.Embedded(Path.of("/var/lib/nugator/store.db")));
    }

    @Test
    void embeddedTakesAnAbsolutePath() {
        assertThat(StoreSpec.parse("embedded:/srv/nugator/kv.db", STATE)).hasToString("embedded:/srv/nugator/kv.db");
    }

    @Test
    void embeddedTakesARelativePathFromTheWorkingDirectory() {
        var spec = (StoreSpec.Embedded) StoreSpec.parse("embedded:data/../kv.db", STATE);

        assertThat(spec.file()).isEqualTo(Path.of("kv.db").toAbsolutePath());
    }

    @Test
    void etcdTakesOneOrMoreEndpoints() {
        var spec = (StoreSpec.Etcd) StoreSpec.parse("etcd://10.0.0.1:2379,etcd-2.example.org:12379,[fd00::3]:2379", STATE);

        assertThat(spec.endpoints()).containsExactly(
                new EtcdEndpoint("10.0.0.1", 2379), new EtcdEndpoint("etcd-2.example.org", 12379), new EtcdEndpoint("fd00:0:0:0:0:0:0:3", 2379));
        assertThat(spec).hasToString("etcd://10.0.0.1:2379,etcd-2.example.org:12379,[fd00:0:0:0:0:0:0:3]:2379");
    }

    @Test
    void theEtcdSpecOpensAnEtcdStoreWithoutConnectingYet() {
        try (KvStore store = StoreSpec.parse("etcd://127.0.0.1:2379,[::1]:2379", STATE).open()) {
            assertThat(store).isInstanceOf(EtcdKvStore.class).hasToString("etcd://127.0.0.1:2379,[0:0:0:0:0:0:0:1]:2379");
        }
    }

    @Test
    void theEmbeddedSpecOpensAWorkingStore(@TempDir Path dir) {
        try (KvStore store = StoreSpec.parse(null, dir).open()) {
            store.put("k", new byte[] {1});
            assertThat(store.get("k")).isPresent();
        }
        assertThat(dir.resolve("store.db")).exists();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "embedded", "embedded:", "embedded:  ", "sqlite:/x.db", "/var/lib/store.db", "etcd://", "etcd://host",
        "etcd://host:", "etcd://host:0", "etcd://host:65536", "etcd://host:2379/", "etcd://host:port", "etcd://a:1,,b:2",
        "etcd://a:1,", "etcd://a:1,a:1", "etcd://fd00::1:2379", "etcd://[fd00::zz]:2379", "etcd://300.1.1.1:2379",
        "etcd://-bad-.example:2379", "etcd://under_score:2379", "http://host:2379", "embedded:/tmp/a\u0000b"})
    void badValuesNameTheOptionAndShowTheAcceptedForms(String value) {
        assertThatThrownBy(() -> StoreSpec.parse(value, STATE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--store '" + value + "': ")
                .hasMessageEndingWith("accepted forms: embedded:PATH or etcd://HOST:PORT[,HOST:PORT...]");
    }

    @Test
    void theMessageSaysWhatIsWrong() {
        assertThatThrownBy(() -> StoreSpec.parse("etcd://a:1,b:99999", STATE)).hasMessageContaining("'b:99999' needs a port between 1 and 65535");
        assertThatThrownBy(() -> StoreSpec.parse("etcd://fd00::1:2379", STATE)).hasMessageContaining("IPv6 address in brackets");
        assertThatThrownBy(() -> StoreSpec.parse("etcd://a:1,a:1", STATE)).hasMessageContaining("listed twice");
    }

    @Test
    void endpointsKeepTheirOrder() {
        var spec = (StoreSpec.Etcd) StoreSpec.parse("etcd://c:3,a:1,b:2", STATE);

        assertThat(spec.endpoints()).extracting(EtcdEndpoint::host).isEqualTo(List.of("c", "a", "b"));
    }
}
