package dev.nugator.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The addresses {@code host-local} has handed out, read from its data dir
 * ({@code <dataDir>/<network name>/<ip>}, each file holding the owner's container id and ifname).
 * "The lease is released after DEL" is the check a user makes when addresses run out, so tests
 * make it too. Point ipam {@code dataDir} at a temp dir so that tests do not share leases.
 */
public final class HostLocalLeases {
    private HostLocalLeases() {}

    /**
     * One allocation.
     *
     * @param network the network name (the directory)
     * @param address the allocated address
     * @param owner the file's content: container id, then the ifname on the next line
     */
    public record Lease(String network, String address, String owner) {
        public boolean ownedBy(String containerId) {
            return owner.lines().findFirst().orElse("").strip().equals(containerId);
        }
    }

    /** Every lease under {@code dataDir}, across all networks; empty when the dir does not exist. */
    public static List<Lease> in(Path dataDir) {
        if (!Files.isDirectory(dataDir)) {
            return List.of();
        }
        var leases = new ArrayList<Lease>();
        try (Stream<Path> networks = Files.list(dataDir)) {
            for (Path network : networks.filter(Files::isDirectory).toList()) {
                leases.addAll(in(dataDir, network.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return leases;
    }

    /** The leases of one network. */
    public static List<Lease> in(Path dataDir, String network) {
        Path dir = dataDir.resolve(network);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> isAddress(f.getFileName().toString()))
                    .map(f -> new Lease(network, f.getFileName().toString(), read(f)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The leases held by one container. */
    public static List<Lease> ownedBy(Path dataDir, String containerId) {
        return in(dataDir).stream().filter(l -> l.ownedBy(containerId)).toList();
    }

    private static boolean isAddress(String fileName) {
        // host-local also keeps "lock" and "last_reserved_ip.N"; IPv6 leases use ':' in the name
        return Ipv4.isIpv4(fileName) || fileName.contains(":");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
