package dev.nugator.daemon;

import dev.nugator.link.ThisNode;
import dev.nugator.netlink.AddressInfo;
import dev.nugator.netlink.LinkInfo;
import dev.nugator.netlink.RtNetlink;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The underlay: the default for {@code --node-address}: the first global address of the interface that holds
 * the default route in nugatord's network namespace, IPv4 first, then IPv6. The routes come from
 * /proc/net/route and /proc/net/ipv6_route, which show the reading process's own namespace.
 */
final class UnderlayAddress {
    private UnderlayAddress() {}

    static Optional<InetAddress> ofDefaultRoute() {
        try (var rt = RtNetlink.open()) {
            for (var candidate : List.of(
                    new Table(Path.of("/proc/net/route"), Inet4Address.class),
                    new Table(Path.of("/proc/net/ipv6_route"), Inet6Address.class))) {
                var device = candidate.defaultRouteDevice();
                if (device.isPresent()) {
                    var address = rt.addresses(device.get()).stream().map(AddressInfo::address)
                            .filter(candidate.family()::isInstance)
                            .filter(a -> !a.isLinkLocalAddress() && !a.isLoopbackAddress())
                            .findFirst();
                    if (address.isPresent()) {
                        return address;
                    }
                }
            }
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * The MTU of the interface holding {@code address} (the underlay), else of the interface holding
     * the default route, else Ethernet's 1500: links' default MTU follows from it.
     */
    static int mtu(Optional<InetAddress> address) {
        try (var rt = RtNetlink.open()) {
            var index = address.flatMap(a -> rt.indexHolding(a).stream().boxed().findFirst());
            if (index.isEmpty()) {
                for (var table : List.of(new Table(Path.of("/proc/net/route"), Inet4Address.class),
                        new Table(Path.of("/proc/net/ipv6_route"), Inet6Address.class))) {
                    var device = table.defaultRouteDevice();
                    if (device.isPresent()) {
                        return rt.link(device.get()).map(LinkInfo::mtu).orElse(ThisNode.ETHERNET_MTU);
                    }
                }
                return ThisNode.ETHERNET_MTU;
            }
            return rt.link(index.get()).map(LinkInfo::mtu).orElse(ThisNode.ETHERNET_MTU);
        } catch (RuntimeException e) {
            return ThisNode.ETHERNET_MTU;
        }
    }

    /** One routing table file: a default route is destination 0 with prefix 0. */
    private record Table(Path file, Class<? extends InetAddress> family) {
        Optional<String> defaultRouteDevice() {
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (IOException e) {
                return Optional.empty();
            }
            for (String line : lines) {
                String[] f = line.trim().split("\\s+");
                if (family == Inet4Address.class && f.length > 7 && f[1].equals("00000000") && f[7].equals("00000000")) {
                    return Optional.of(f[0]);
                }
                if (family == Inet6Address.class && f.length > 9 && f[0].equals("0".repeat(32)) && f[1].equals("00")
                        && !f[9].equals("lo")) {
                    return Optional.of(f[9]);
                }
            }
            return Optional.empty();
        }
    }
}
