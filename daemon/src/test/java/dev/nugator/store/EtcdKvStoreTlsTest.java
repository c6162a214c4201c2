package dev.nugator.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The etcd store over TLS against an etcd that requires client certificates: the right
 * certificate works, and every wrong one fails within the call deadline with a message that says
 * which certificate, on which side, is the problem.
 */
class EtcdKvStoreTlsTest {
    private static final Duration PROMPT = EtcdKvStore.DEADLINE.plusSeconds(1);

    @TempDir
    static Path dir;
    static TestCertificates certs;
    static EtcdMember etcd;
    static EtcdKvStore store;

    @BeforeAll
    static void startEtcd() throws Exception {
        EtcdMember.assumeInstalled();
        certs = TestCertificates.make(dir);
        etcd = EtcdMember.tls(dir, certs);
        store = EtcdKvStore.open(List.of(etcd.endpoint()), Optional.of(certs.client()));
        etcd.start(store);
    }

    @AfterAll
    static void stopEtcd() throws Exception {
        try {
            if (store != null) {
                store.close();
            }
        } finally {
            if (etcd != null) {
                etcd.close();
            }
        }
    }

    @Test
    void theRightClientCertificateReadsAndWrites() {
        store.put("/tls/k", "v".getBytes(UTF_8));

        assertThat(store.get("/tls/k").orElseThrow().text()).isEqualTo("v");
        assertThat(store.unavailableReason()).isEmpty();
        assertThat(store).hasToString("etcd+tls://" + etcd.endpoint().authority());
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefusedAndTheMessageSaysSo() {
        var wrong = EtcdTls.of(certs.caCert(), certs.wrongClientCert(), certs.wrongClientKey());

        assertPromptFailure(wrong, "etcd+tls://" + etcd.endpoint().authority() + ": cannot read /tls/k: TLS handshake failed: "
                + "the server refused our client certificate --etcd-cert " + certs.wrongClientCert());
    }

    @Test
    void noClientCertificateWhereOneIsRequiredSaysWhichOptionsToGive() {
        assertPromptFailure(EtcdTls.of(certs.caCert(), null, null),
                "TLS handshake failed: the server wants a client certificate: give --etcd-cert and --etcd-key");
    }

    @Test
    void aServerCertificateNotSignedByTheGivenCaIsRefusedAndTheMessageSaysSo() {
        var wrong = EtcdTls.of(certs.wrongCaCert(), certs.clientCert(), certs.clientKey());

        assertPromptFailure(wrong, "TLS handshake failed: the server's certificate is not signed by --etcd-cacert " + certs.wrongCaCert());
    }

    @Test
    void theHealthCheckSaysWhyEvenWithItsShorterDeadline() {
        var wrong = EtcdTls.of(certs.caCert(), certs.wrongClientCert(), certs.wrongClientKey());
        try (EtcdKvStore refused = EtcdKvStore.open(List.of(etcd.endpoint()), Optional.of(wrong))) {
            assertThat(refused.unavailableReason()).hasValueSatisfying(reason ->
                    assertThat(reason).contains("the server refused our client certificate"));
        }
    }

    @Test
    void aPlainStoreAgainstTheTlsMemberFailsPromptly() {
        try (EtcdKvStore plain = EtcdKvStore.open(List.of(etcd.endpoint()))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> plain.get("/tls/k")).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageStartingWith("etcd://" + etcd.endpoint().authority());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPT);
        }
    }

    private static void assertPromptFailure(EtcdTls tls, String expected) {
        try (EtcdKvStore refused = EtcdKvStore.open(List.of(etcd.endpoint()), Optional.of(tls))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> refused.get("/tls/k"))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining(expected)
                    .satisfies(e -> System.out.println("TLS failure as reported: " + e.getMessage()));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPT);
        }
    }
}
