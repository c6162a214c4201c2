package dev.nugator.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionRegistryTest {
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final List<Connection> made = new ArrayList<>();

    @AfterEach
    void closeAll() {
        made.forEach(Connection::close);
        timers.shutdownNow();
    }

    @Test
    void atTheTotalCapTheOldestWaitingConnectionMakesRoom() throws IOException {
        var registry = new ConnectionRegistry(3, 3);
        var busy = admitted(registry, "root");
        registry.start(busy);
        var oldestWaiting = admitted(registry, "alice");
        var newerWaiting = admitted(registry, "root");

        var newcomer = connection("root");

        assertThat(registry.admit(newcomer)).isTrue();
        assertThat(oldestWaiting.channel().isOpen()).as("closed for the newcomer").isFalse();
        assertThat(busy.channel().isOpen()).as("a running command is never displaced").isTrue();
        assertThat(newerWaiting.channel().isOpen()).isTrue();
        assertThat(registry.size()).isEqualTo(3);
        assertThat(registry.size("alice")).isZero();
    }

    @Test
    void atItsOwnCapAUserDisplacesOnlyItsOwnConnections() throws IOException {
        var registry = new ConnectionRegistry(10, 2);
        var othersWaiting = admitted(registry, "root");
        var first = admitted(registry, "mallory");
        admitted(registry, "mallory");

        assertThat(registry.admit(connection("mallory"))).isTrue();

        assertThat(first.channel().isOpen()).isFalse();
        assertThat(othersWaiting.channel().isOpen()).as("another user's slot is not taken").isTrue();
        assertThat(registry.size("mallory")).isEqualTo(2);
    }

    @Test
    void whenEverySlotRunsACommandANewcomerIsRefused() throws IOException {
        var registry = new ConnectionRegistry(2, 2);
        registry.start(admitted(registry, "root"));
        registry.start(admitted(registry, "root"));

        assertThat(registry.admit(connection("root"))).isFalse();
        assertThat(registry.size()).isEqualTo(2);
    }

    @Test
    void aConnectionDisplacedWhileItsRequestArrivedCannotStart() throws IOException {
        var registry = new ConnectionRegistry(1, 1);
        var displaced = admitted(registry, "root");
        registry.admit(connection("root"));

        assertThat(registry.start(displaced)).isFalse();
    }

    @Test
    void removingFreesTheSlotOnceOnly() throws IOException {
        var registry = new ConnectionRegistry(2, 2);
        var a = admitted(registry, "root");
        admitted(registry, "root");

        registry.remove(a);
        registry.remove(a);

        assertThat(registry.size()).isEqualTo(1);
        assertThat(registry.size("root")).isEqualTo(1);
    }

    private Connection admitted(ConnectionRegistry registry, String peer) throws IOException {
        var c = connection(peer);
        assertThat(registry.admit(c)).isTrue();
        return c;
    }

    private Connection connection(String peer) throws IOException {
        var c = new Connection(SocketChannel.open(StandardProtocolFamily.UNIX), peer, timers);
        made.add(c);
        return c;
    }
}
