package dev.nugator.cli;

import dev.nugator.store.EtcdTls;
import dev.nugator.store.StoreSpec;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The TLS flags for etcd, the same for nugatord and nugatorctl. */
public final class EtcdTlsOptions {
    @Option(names = "--etcd-cacert", paramLabel = "FILE", description = "PEM CA certificate that signed etcd's server certificates; turns TLS on.")
    Path caCert;

    @Option(names = "--etcd-cert", paramLabel = "FILE", description = "PEM client certificate, for an etcd that requires one (with --etcd-key).")
    Path cert;

    @Option(names = "--etcd-key", paramLabel = "FILE", description = "PKCS#8 PEM key of --etcd-cert.")
    Path key;

    /** The store as given, with TLS when any flag is set; a flag that does not fit is an IllegalArgumentException naming it. */
    public StoreSpec apply(StoreSpec spec) {
        if (caCert == null && cert == null && key == null) {
            return spec;
        }
        return StoreSpec.withTls(spec, Optional.of(EtcdTls.of(caCert, cert, key)));
    }
}
