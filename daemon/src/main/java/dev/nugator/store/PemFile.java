package dev.nugator.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificates and keys from the PEM files named by a command-line option. Read by us rather than
 * handed to netty as files, so that a wrong file fails at start-up with the option's name and what
 * to do about it, instead of at the first connection with netty's generic message.
 */
final class PemFile {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");
    private static final String CERTIFICATE = "CERTIFICATE";
    private static final String PKCS8 = "PRIVATE KEY";
    /** Key algorithms that TLS to etcd works with here (netty over the JDK's TLS). */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC");

    private final Path file;
    private final String option;
    private final List<Block> blocks;

    private record Block(String label, byte[] der) {}

    private PemFile(Path file, String option, List<Block> blocks) {
        this.file = file;
        this.option = option;
        this.blocks = blocks;
    }

    /** Reads {@code file}, failing with a message that starts with {@code option} and the file. */
    static PemFile read(Path file, String option) {
        String text;
        try {
            if (Files.isDirectory(file)) {
                throw new IllegalArgumentException(option + " " + file + ": is a directory, not a PEM file");
            }
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(option + " " + file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(option + " " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + file + ": cannot read it: " + e.getMessage(), e);
        }
        return new PemFile(file, option, blocks(text, file, option));
    }

    /** Every certificate in the file, in order (a chain: own certificate first). */
    List<X509Certificate> certificates() {
        var certificates = new ArrayList<X509Certificate>();
        for (Block block : blocks) {
            if (block.label().equals(CERTIFICATE)) {
                certificates.add(certificate(block.der(), certificates.size() + 1));
            }
        }
        if (certificates.isEmpty()) {
            throw problem("holds no certificate (found " + labels() + "); expected '-----BEGIN CERTIFICATE-----'");
        }
        return certificates;
    }

    /** The one private key in the file, which must be unencrypted PKCS#8 and belong to {@code certificate}. */
    PrivateKey privateKey(X509Certificate certificate) {
        Block key = blocks.stream().filter(b -> b.label().endsWith("PRIVATE KEY")).findFirst()
                .orElseThrow(() -> problem("holds no private key (found " + labels() + "); expected '-----BEGIN PRIVATE KEY-----'"));
        if (!key.label().equals(PKCS8)) {
            throw problem("the key is '" + key.label() + "'; nugator reads unencrypted PKCS#8 keys ('-----BEGIN PRIVATE KEY-----')."
                    + " Convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out " + file + ".pk8"
                    + (key.label().startsWith("ENCRYPTED") ? " (it asks for the passphrase)" : ""));
        }
        String algorithm = certificate.getPublicKey().getAlgorithm();
        if (!KEY_ALGORITHMS.contains(algorithm)) {
            throw problem("the certificate's key is " + algorithm + "; TLS to etcd needs an RSA or EC (e.g. prime256v1) key");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(key.der()));
        } catch (GeneralSecurityException e) {
            throw problem("not a PKCS#8 " + algorithm + " key (the certificate's key is " + algorithm + "): " + e.getMessage());
        }
    }

    private X509Certificate certificate(byte[] der, int index) {
        X509Certificate certificate;
        try {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw problem("certificate " + index + " cannot be read: " + e.getMessage());
        }
        try {
            certificate.checkValidity();
        } catch (CertificateExpiredException e) {
            throw problem("certificate " + index + " (" + certificate.getSubjectX500Principal().getName() + ") expired on "
                    + certificate.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw problem("certificate " + index + " (" + certificate.getSubjectX500Principal().getName() + ") is valid only from "
                    + certificate.getNotBefore().toInstant() + " (check the clock)");
        }
        return certificate;
    }

    private static List<Block> blocks(String text, Path file, String option) {
        var blocks = new ArrayList<Block>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            try {
                blocks.add(new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + " " + file + ": the '" + matcher.group(1) + "' block is not valid base64", e);
            }
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException(option + " " + file + ": not a PEM file (no '-----BEGIN ...-----' block)");
        }
        return blocks;
    }

    private String labels() {
        return String.join(", ", blocks.stream().map(Block::label).distinct().toList());
    }

    private IllegalArgumentException problem(String what) {
        return new IllegalArgumentException(option + " " + file + ": " + what);
    }
}
