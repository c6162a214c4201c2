package dev.nugator.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The certificates of a TLS {@link EtcdCluster}, made with the {@code openssl} command as an operator
 * would make them: a CA, one server certificate for every member (its SANs are the members'
 * addresses and 127.0.0.1), a client certificate signed by that CA, and a "wrong" client
 * certificate signed by another CA that etcd does not trust. Keys are PEM PKCS#8
 * ({@code BEGIN PRIVATE KEY}), RSA 2048, the form {@code --etcd-key} documents.
 *
 * @param caCert the CA etcd trusts and clients verify the servers with ({@code --etcd-cacert})
 * @param serverCert the members' certificate
 * @param serverKey the members' key
 * @param clientCert a client certificate etcd accepts ({@code --etcd-cert})
 * @param clientKey its key ({@code --etcd-key})
 * @param otherCaCert the CA that signed the wrong client certificate (etcd does not trust it)
 * @param wrongClientCert a client certificate etcd refuses
 * @param wrongClientKey its key
 */
public record EtcdCertificates(Path caCert, Path serverCert, Path serverKey, Path clientCert, Path clientKey,
                               Path otherCaCert, Path wrongClientCert, Path wrongClientKey) {
    private static final Duration OPENSSL_DEADLINE = Duration.ofSeconds(30);
    private static final int DAYS = 2;

    /** Makes every file under {@code dir} (which must exist) for servers reachable on {@code ips}. */
    public static EtcdCertificates generate(Path dir, List<String> ips) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path ca = dir.resolve("ca.crt");
        Path caKey = dir.resolve("ca.key");
        selfSignedCa(caKey, ca, "nugator test CA " + Names.hex(3));
        Path other = dir.resolve("other-ca.crt");
        Path otherKey = dir.resolve("other-ca.key");
        selfSignedCa(otherKey, other, "nugator untrusted CA " + Names.hex(3));

        String sans = "IP:127.0.0.1," + ips.stream().map(ip -> "IP:" + ip).collect(Collectors.joining(","));
        Path server = dir.resolve("server.crt");
        Path serverKey = dir.resolve("server.key");
        signed(dir, "server", serverKey, server, "etcd", ca, caKey,
                "extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=" + sans + "\n");
        Path client = dir.resolve("client.crt");
        Path clientKey = dir.resolve("client.key");
        signed(dir, "client", clientKey, client, "nugator", ca, caKey, "extendedKeyUsage=clientAuth\n");
        Path wrong = dir.resolve("wrong-client.crt");
        Path wrongKey = dir.resolve("wrong-client.key");
        signed(dir, "wrong-client", wrongKey, wrong, "nugator", other, otherKey, "extendedKeyUsage=clientAuth\n");
        return new EtcdCertificates(ca, server, serverKey, client, clientKey, other, wrong, wrongKey);
    }

    /** The client flags nugatord and nugatorctl take for the right certificate. */
    public List<String> clientFlags() {
        return List.of("--etcd-cacert", caCert.toString(), "--etcd-cert", clientCert.toString(),
                "--etcd-key", clientKey.toString());
    }

    /** The same flags with the certificate etcd refuses (the server is still verified with the right CA). */
    public List<String> wrongClientFlags() {
        return List.of("--etcd-cacert", caCert.toString(), "--etcd-cert", wrongClientCert.toString(),
                "--etcd-key", wrongClientKey.toString());
    }

    private static void selfSignedCa(Path key, Path cert, String cn) {
        newKey(key);
        openssl("req", "-x509", "-new", "-key", key.toString(), "-subj", "/CN=" + cn, "-days", Integer.toString(DAYS),
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-out", cert.toString());
    }

    private static void signed(Path dir, String stem, Path key, Path cert, String cn, Path ca, Path caKey, String extensions) {
        newKey(key);
        Path csr = dir.resolve(stem + ".csr");
        Path ext = dir.resolve(stem + ".ext");
        try {
            Files.writeString(ext, "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n" + extensions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl("req", "-new", "-key", key.toString(), "-subj", "/CN=" + cn, "-out", csr.toString());
        openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
                "-set_serial", "0x" + Names.hex(8), "-days", Integer.toString(DAYS), "-extfile", ext.toString(),
                "-out", cert.toString());
    }

    /** An RSA key in PKCS#8 PEM ({@code genpkey} always writes PKCS#8). */
    private static void newKey(Path key) {
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key.toString());
    }

    private static void openssl(String... args) {
        Proc.of(Proc.args("openssl", List.of(args))).deadline(OPENSSL_DEADLINE).check();
    }
}
