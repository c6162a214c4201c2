package dev.nugator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS options are checked when given, each problem named by its option; no etcd needed. */
class EtcdTlsTest {
    @TempDir
    static Path dir;
    static TestCertificates certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.make(dir);
    }

    @Test
    void aCaAloneOrACaWithAClientCertificateIsAccepted() {
        assertThat(EtcdTls.of(certs.caCert(), null, null).hasClientCertificate()).isFalse();
        assertThat(certs.client().hasClientCertificate()).isTrue();
        assertThat(EtcdTls.fromOptions(null, null, null)).isEmpty();
        assertThat(EtcdTls.fromOptions(certs.caCert(), null, null)).isPresent();
    }

    @Test
    void aCertificateNeedsItsKeyAndTheOtherWayRound() {
        assertThatThrownBy(() -> EtcdTls.of(certs.caCert(), certs.clientCert(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--etcd-cert " + certs.clientCert() + " needs --etcd-key");
        assertThatThrownBy(() -> EtcdTls.of(certs.caCert(), null, certs.clientKey()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--etcd-key " + certs.clientKey() + " needs --etcd-cert");
    }

    @Test
    void aClientCertificateNeedsTheCa() {
        assertThatThrownBy(() -> EtcdTls.of(null, certs.clientCert(), certs.clientKey()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need --etcd-cacert");
    }

    @Test
    void aMissingFileIsNamedWithItsOption() {
        Path missing = dir.resolve("missing.crt");

        assertThatThrownBy(() -> EtcdTls.of(missing, null, null)).hasMessage("--etcd-cacert " + missing + ": no such file");
        assertThatThrownBy(() -> EtcdTls.of(certs.caCert(), missing, certs.clientKey())).hasMessage("--etcd-cert " + missing + ": no such file");
        assertThatThrownBy(() -> EtcdTls.of(certs.caCert(), certs.clientCert(), missing)).hasMessage("--etcd-key " + missing + ": no such file");
        assertThatThrownBy(() -> EtcdTls.of(dir, null, null)).hasMessage("--etcd-cacert " + dir + ": is a directory, not a PEM file");
    }

    @Test
    void aFileThatIsNotPemIsRefused() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a certificate\n");
        Path der = dir.resolve("ca.der");
        Files.write(der, new byte[] {0x30, (byte) 0x82, 0x01, 0x0a, 0x02});

        assertThatThrownBy(() -> EtcdTls.of(text, null, null)).hasMessageStartingWith("--etcd-cacert " + text + ": not a PEM file");
        assertThatThrownBy(() -> EtcdTls.of(der, null, null)).hasMessageStartingWith("--etcd-cacert " + der + ": not a PEM file");
    }

    @Test
    void filesSwappedAroundSayWhatTheyHold() {
        assertThatThrownBy(() -> EtcdTls.of(certs.caCert(), certs.clientKey(), certs.clientCert()))
                .hasMessageStartingWith("--etcd-cert " + certs.clientKey() + ": holds no certificate (found PRIVATE KEY)");
        assertThatThrownBy(() -> EtcdTls.of(certs.clientKey(), null, null))
                .hasMessageStartingWith("--etcd-cacert " + certs.clientKey() + ": holds no certificate");
    }

    @Test
    void aKeyNotInPkcs8FormSaysHowToConvertIt() throws Exception {
        Path sec1 = certs.traditional(certs.clientKey(), "client-sec1.key");
        assertThat(Files.readString(sec1)).startsWith("-----BEGIN EC PRIVATE KEY-----");

        assertThatThrownBy(() -> EtcdTls.of(certs.caCert(), certs.clientCert(), sec1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--etcd-key " + sec1 + ": the key is 'EC PRIVATE KEY'")
                .hasMessageContaining("PKCS#8")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt -in " + sec1 + " -out " + sec1 + ".pk8");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        assertThatThrownBy(() -> EtcdTls.of(certs.caCert(), certs.clientCert(), certs.wrongClientKey()))
                .hasMessage("--etcd-key " + certs.wrongClientKey() + " is not the key of the certificate in --etcd-cert " + certs.clientCert());
    }

    @Test
    void tlsIsForEtcdStoresOnly() {
        Optional<EtcdTls> tls = Optional.of(certs.client());

        var etcd = (StoreSpec.Etcd) StoreSpec.parse("etcd://127.0.0.1:2379", dir, tls);
        assertThat(etcd.tls()).isEqualTo(tls);
        assertThat(etcd).hasToString("etcd+tls://127.0.0.1:2379");
        assertThat(StoreSpec.withTls(new StoreSpec.Etcd(List.of(new EtcdEndpoint("10.0.0.1", 2379))), tls)).hasToString("etcd+tls://10.0.0.1:2379");
        assertThat(StoreSpec.parse(null, dir, Optional.empty())).isInstanceOf(StoreSpec.Embedded.class);
        assertThatThrownBy(() -> StoreSpec.parse(null, dir, tls))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--etcd-cacert, --etcd-cert and --etcd-key are for an etcd store")
                .hasMessageContaining("embedded:" + dir.resolve("store.db"));
        assertThatThrownBy(() -> StoreSpec.parse("embedded:/tmp/x.db", dir, tls)).hasMessageContaining("embedded:/tmp/x.db");
    }

    @Test
    void theTlsStoreOpensWithoutConnectingAndShowsTls() {
        try (KvStore store = StoreSpec.parse("etcd://127.0.0.1:2379", dir, Optional.of(certs.client())).open()) {
            assertThat(store).isInstanceOf(EtcdKvStore.class).hasToString("etcd+tls://127.0.0.1:2379");
        }
    }
}
