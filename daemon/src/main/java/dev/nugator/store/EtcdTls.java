package dev.nugator.store;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * TLS to etcd, from {@code --etcd-cacert} (the CA that signed etcd's server certificate) and
 * optionally {@code --etcd-cert} with {@code --etcd-key} (our client certificate, for an etcd
 * started with {@code --client-cert-auth}). The files are read again at every {@link #sslContext},
 * so a store opened after a certificate rotation uses the new files.
 *
 * @param caCert the CA certificate(s) that etcd's server certificate must chain to
 * @param cert   our certificate chain, or null for no client certificate
 * @param key    the unencrypted PKCS#8 key of {@code cert}, null exactly when {@code cert} is
 */
public record EtcdTls(Path caCert, Path cert, Path key) {
    public static final String CA_OPTION = "--etcd-cacert";
    public static final String CERT_OPTION = "--etcd-cert";
    public static final String KEY_OPTION = "--etcd-key";
    public static final String OPTIONS = CA_OPTION + ", " + CERT_OPTION + " and " + KEY_OPTION;

    /** Checks only which files are given; {@link #of} also reads them. */
    public EtcdTls {
        if (cert != null && key == null) {
            throw new IllegalArgumentException(CERT_OPTION + " " + cert + " needs " + KEY_OPTION + " (the certificate's private key)");
        }
        if (key != null && cert == null) {
            throw new IllegalArgumentException(KEY_OPTION + " " + key + " needs " + CERT_OPTION + " (the certificate of that key)");
        }
        if (caCert == null) {
            throw new IllegalArgumentException(CERT_OPTION + " and " + KEY_OPTION + " need " + CA_OPTION
                    + " (the CA certificate that signed etcd's server certificate)");
        }
    }

    /**
     * TLS from the three options ({@code cert} and {@code key} null when absent). Reads the files
     * now, so that a missing file, a key in the wrong form or a key that does not fit its
     * certificate stops start-up with a message naming the option, rather than failing every call.
     */
    public static EtcdTls of(Path caCert, Path cert, Path key) {
        var tls = new EtcdTls(caCert, cert, key);
        tls.sslContext();
        return tls;
    }

    /** Like {@link #of}, for options that may all be absent (null): then no TLS. */
    public static Optional<EtcdTls> fromOptions(Path caCert, Path cert, Path key) {
        return caCert == null && cert == null && key == null ? Optional.empty() : Optional.of(of(caCert, cert, key));
    }

    public boolean hasClientCertificate() {
        return cert != null;
    }

    /** What netty needs for the gRPC connections to etcd; every problem with the files is an {@link IllegalArgumentException} naming the option. */
    SslContext sslContext() {
        List<X509Certificate> authorities = PemFile.read(caCert, CA_OPTION).certificates();
        SslContextBuilder builder = GrpcSslContexts.forClient().trustManager(authorities);
        if (cert != null) {
            List<X509Certificate> chain = PemFile.read(cert, CERT_OPTION).certificates();
            PrivateKey privateKey = PemFile.read(key, KEY_OPTION).privateKey(chain.getFirst());
            requireKeyOf(chain.getFirst(), privateKey);
            builder.keyManager(privateKey, chain);
        }
        try {
            return builder.build();
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("cannot use " + OPTIONS + " " + this + ": " + e.getMessage(), e);
        }
    }

    /** A key from another certificate would pass every check but fail each handshake with a vague alert from the server. */
    private void requireKeyOf(X509Certificate certificate, PrivateKey privateKey) {
        String algorithm = privateKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] probe = "nugator key check".getBytes(StandardCharsets.US_ASCII);
        boolean fits;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            fits = verifier.verify(signer.sign());
        } catch (GeneralSecurityException e) {
            fits = false;
        }
        if (!fits) {
            throw new IllegalArgumentException(KEY_OPTION + " " + key + " is not the key of the certificate in " + CERT_OPTION + " " + cert);
        }
    }

    @Override
    public String toString() {
        return CA_OPTION + " " + caCert + (cert == null ? "" : " " + CERT_OPTION + " " + cert + " " + KEY_OPTION + " " + key);
    }
}
