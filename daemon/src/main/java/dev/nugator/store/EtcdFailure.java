package dev.nugator.store;

import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Why a call to etcd failed, in words a person can act on. gRPC reports every transport failure as
 * "UNAVAILABLE: io exception"; the reason (refused connection, a certificate one side would not
 * accept) is further down the cause chain, so that is where this looks.
 */
final class EtcdFailure {
    private EtcdFailure() {
    }

    static String describe(Throwable failure, Optional<EtcdTls> tls) {
        return tls.flatMap(t -> tlsProblem(failure, t)).orElseGet(() -> plain(failure));
    }

    /** etcd does not know the lease (any more): it expired or was revoked. */
    static boolean leaseNotFound(Throwable failure) {
        return find(failure, EtcdException.class).map(e -> e.getErrorCode() == ErrorCode.NOT_FOUND).orElse(false)
                || find(failure, StatusRuntimeException.class).map(e -> e.getStatus().getCode() == Status.Code.NOT_FOUND).orElse(false);
    }

    private static Optional<String> tlsProblem(Throwable failure, EtcdTls tls) {
        Optional<SSLException> ssl = find(failure, SSLException.class);
        if (ssl.isEmpty()) {
            return Optional.empty();
        }
        String detail = " (" + reason(failure) + ")";
        if (find(failure, CertPathBuilderException.class).isPresent()) {
            return handshake("the server's certificate is not signed by " + EtcdTls.CA_OPTION + " " + tls.caCert() + detail);
        }
        if (find(failure, CertificateException.class).isPresent()) {
            return handshake("we refused the server's certificate" + detail);
        }
        if (ssl.get() instanceof SSLHandshakeException handshake && aboutCertificates(handshake)) {
            return handshake(tls.hasClientCertificate()
                    ? "the server refused our client certificate " + EtcdTls.CERT_OPTION + " " + tls.cert()
                            + " (is it signed by a CA in etcd's --trusted-ca-file?)" + detail
                    : "the server wants a client certificate: give " + EtcdTls.CERT_OPTION + " and " + EtcdTls.KEY_OPTION + detail);
        }
        return handshake(ssl.get().getMessage());
    }

    private static Optional<String> handshake(String what) {
        return Optional.of("TLS handshake failed: " + what);
    }

    /**
     * The JDK does not expose the TLS alert the server sent, only its name in the message
     * ("Received fatal alert: bad_certificate"); every alert about certificates names them.
     */
    private static boolean aboutCertificates(SSLHandshakeException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return message.contains("certificate") || message.contains("unknown_ca") || message.contains("access_denied");
    }

    /** gRPC's status without its multi-line pipeline dump, and the root cause, which says what actually went wrong. */
    private static String plain(Throwable failure) {
        String head = find(failure, StatusRuntimeException.class)
                .map(s -> s.getStatus().getCode() + (s.getStatus().getDescription() == null ? "" : ": " + firstLine(s.getStatus().getDescription())))
                .orElseGet(() -> failure.getMessage() == null ? failure.toString() : firstLine(failure.getMessage()));
        String reason = reason(failure);
        return head.contains(reason) ? head : head + " (" + reason + ")";
    }

    /** The message of the innermost cause that has one. */
    private static String reason(Throwable failure) {
        String reason = failure.toString();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null) {
                reason = firstLine(t.getMessage());
            }
        }
        return reason;
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).strip();
    }

    private static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }
}
