package dev.nugator.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host name as the kernel has it (this UTS namespace), without a DNS lookup. */
final class HostName {
    private HostName() {}

    static String get() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            return name.isEmpty() ? "localhost" : name;
        } catch (IOException e) {
            return "localhost";
        }
    }
}
