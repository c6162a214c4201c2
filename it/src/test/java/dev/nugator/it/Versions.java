package dev.nugator.it;

import java.util.List;

/** The CNI versions nugator must speak, as method sources for parameterized tests. */
final class Versions {
    static final List<String> ALL = List.of("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");

    private Versions() {}

    static List<String> all() {
        return ALL;
    }

    /** Versions with prevResult (chaining) and ips[].interface. */
    static List<String> fromZeroThree() {
        return ALL.subList(2, ALL.size());
    }

    /** Versions with CHECK. */
    static List<String> withCheck() {
        return ALL.subList(4, ALL.size());
    }

    static List<String> withoutCheck() {
        return ALL.subList(0, 4);
    }
}
