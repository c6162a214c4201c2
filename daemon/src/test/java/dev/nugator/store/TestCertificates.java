package dev.nugator.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A CA, a second CA that signed nothing of the server's, a server certificate for 127.0.0.1, a
 * client certificate from the CA and one from the wrong CA, all made with openssl in {@code dir}.
 * EC prime256v1 keys in PKCS#8, the form nugator reads (OpenSSL 3 writes that by default).
 */
record TestCertificates(Path dir) {
    private static final Path OPENSSL = Path.of("/usr/bin/openssl");
    private static final List<String> EC_KEY = List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes");

    static TestCertificates make(Path dir) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(OPENSSL), OPENSSL + " is missing: skipping the TLS tests");
        var certificates = new TestCertificates(dir);
        certificates.authority("ca");
        certificates.authority("wrong-ca");
        certificates.signed("server", "ca", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        certificates.signed("client", "ca", "extendedKeyUsage=clientAuth\n");
        certificates.signed("wrong-client", "wrong-ca", "extendedKeyUsage=clientAuth\n");
        return certificates;
    }

    Path caCert() {
        return dir.resolve("ca.crt");
    }

    Path wrongCaCert() {
        return dir.resolve("wrong-ca.crt");
    }

    Path serverCert() {
        return dir.resolve("server.crt");
    }

    Path serverKey() {
        return dir.resolve("server.key");
    }

    Path clientCert() {
        return dir.resolve("client.crt");
    }

    Path clientKey() {
        return dir.resolve("client.key");
    }

    Path wrongClientCert() {
        return dir.resolve("wrong-client.crt");
    }

    Path wrongClientKey() {
        return dir.resolve("wrong-client.key");
    }

    EtcdTls client() {
        return EtcdTls.of(caCert(), clientCert(), clientKey());
    }

    /** {@code key} rewritten by openssl in its traditional (SEC1 "EC PRIVATE KEY") form, into {@code out}. */
    Path traditional(Path key, String out) throws IOException, InterruptedException {
        Path file = dir.resolve(out);
        openssl("pkey", "-in", key.toString(), "-traditional", "-out", file.toString());
        return file;
    }

    private void authority(String name) throws IOException, InterruptedException {
        var args = new ArrayList<>(List.of("req", "-x509"));
        args.addAll(EC_KEY);
        args.addAll(List.of("-keyout", name + ".key", "-out", name + ".crt", "-days", "1", "-subj", "/CN=nt-" + name));
        openssl(args.toArray(String[]::new));
    }

    private void signed(String name, String ca, String extensions) throws IOException, InterruptedException {
        var request = new ArrayList<>(List.of("req"));
        request.addAll(EC_KEY);
        request.addAll(List.of("-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=nt-" + name));
        openssl(request.toArray(String[]::new));
        Files.writeString(dir.resolve(name + ".ext"), extensions);
        String serial = String.valueOf(System.nanoTime() & 0xffffff);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key", "-set_serial", serial,
                "-days", "1", "-extfile", name + ".ext", "-out", name + ".crt");
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of(OPENSSL.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("openssl " + String.join(" ", args) + " took longer than 30 s");
            }
            String output = new String(process.getInputStream().readAllBytes());
            if (process.exitValue() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + output);
            }
        } finally {
            process.destroyForcibly();
        }
    }
}
