package dev.nugator.store;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Which store nugatord uses, from its {@code --store} option. */
public sealed interface StoreSpec {
    String OPTION = "--store";
    String ACCEPTED = "embedded:PATH or etcd://HOST:PORT[,HOST:PORT...]";
    String DEFAULT_FILE = "store.db";

    /** Opens the store; the caller owns it and closes it. */
    KvStore open();

    /** An embedded store in one file. */
    record Embedded(Path file) implements StoreSpec {
        @Override
        public KvStore open() {
            return EmbeddedKvStore.open(file);
        }

        @Override
        public String toString() {
            return "embedded:" + file;
        }
    }

    /** An etcd v3 cluster reached through any of its members, over TLS when {@code tls} is given. */
    record Etcd(List<EtcdEndpoint> endpoints, Optional<EtcdTls> tls) implements StoreSpec {
        public Etcd {
            endpoints = List.copyOf(endpoints);
            Objects.requireNonNull(tls, "tls");
        }

        public Etcd(List<EtcdEndpoint> endpoints) {
            this(endpoints, Optional.empty());
        }

        @Override
        public KvStore open() {
            return EtcdKvStore.open(endpoints, tls);
        }

        @Override
        public String toString() {
            return EtcdKvStore.name(endpoints, tls.isPresent());
        }
    }

    /** {@code value} as given to {@code --store}, or null when the option is absent: then a file in the state directory. */
    static StoreSpec parse(String value, Path stateDir) {
        if (value == null) {
            return new Embedded(stateDir.resolve(DEFAULT_FILE).toAbsolutePath().normalize());
        }
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(OPTION + " '" + value + "': " + e.getMessage() + "; accepted forms: " + ACCEPTED, e);
        }
    }

    /** Like {@link #parse(String, Path)}, then {@link #withTls}. */
    static StoreSpec parse(String value, Path stateDir, Optional<EtcdTls> tls) {
        return withTls(parse(value, stateDir), tls);
    }

    /**
     * {@code spec} over TLS ({@link EtcdTls#of}) when {@code tls} is given; TLS for an embedded
     * store is refused rather than ignored, since whoever gave it meant some etcd.
     */
    static StoreSpec withTls(StoreSpec spec, Optional<EtcdTls> tls) {
        return switch (spec) {
            case Etcd etcd -> new Etcd(etcd.endpoints(), tls);
            case Embedded embedded when tls.isPresent() -> throw new IllegalArgumentException(EtcdTls.OPTIONS
                    + " are for an etcd store (" + OPTION + " etcd://HOST:PORT[,HOST:PORT...]), but the store is " + embedded);
            case Embedded embedded -> embedded;
        };
    }

    private static StoreSpec parse(String value) {
        if (value.startsWith("embedded:")) {
            return new Embedded(file(value.substring("embedded:".length())));
        }
        if (value.startsWith("etcd://")) {
            return new Etcd(endpoints(value.substring("etcd://".length())));
        }
        throw new IllegalArgumentException("unknown kind of store");
    }

    /** A relative path is taken from the working directory now, so that logs and errors show where the file is. */
    private static Path file(String path) {
        if (path.isBlank()) {
            throw new IllegalArgumentException("the embedded store needs a file path");
        }
        try {
            return Path.of(path).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("invalid path: " + e.getReason(), e);
        }
    }

    private static List<EtcdEndpoint> endpoints(String list) {
        if (list.isEmpty()) {
            throw new IllegalArgumentException("the etcd store needs at least one HOST:PORT");
        }
        var endpoints = new LinkedHashSet<EtcdEndpoint>();
        for (String item : list.split(",", -1)) {
            if (item.isEmpty()) {
                throw new IllegalArgumentException("an endpoint in the list is empty");
            }
            if (!endpoints.add(EtcdEndpoint.parse(item))) {
                throw new IllegalArgumentException("endpoint '" + item + "' is listed twice");
            }
        }
        return new ArrayList<>(endpoints);
    }
}
