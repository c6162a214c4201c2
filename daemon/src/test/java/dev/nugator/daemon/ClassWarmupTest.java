package dev.nugator.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassWarmupTest {
    /** Counts the static initialisers of the probes below that ran. */
    static final AtomicInteger INITIALISED = new AtomicInteger();

    @TempDir
    Path dir;

    static final class Listed {
        static {
            INITIALISED.incrementAndGet();
        }
    }

    static final class AlsoListed {
        static {
            INITIALISED.incrementAndGet();
        }
    }

    static final class Unlisted {
        static {
            INITIALISED.incrementAndGet();
        }
    }

    static final class Failing {
        static {
            if (INITIALISED.get() >= 0) {
                throw new IllegalStateException("no");
            }
        }
    }

    static final class TooLate {
        static {
            INITIALISED.incrementAndGet();
        }
    }

    private static String name(Class<?> type) {
        return type.getName();
    }

    @Test
    void theListedClassesAreInitialisedAndEverythingElseIsSkipped() throws Exception {
        Path list = Files.writeString(dir.resolve("classes"), String.join("\n",
                name(Listed.class),
                "",
                "../../etc/passwd",
                "not a class name",
                "dev.nugator.daemon.NoSuchClass",
                name(Failing.class),
                "  " + name(AlsoListed.class) + "  ",
                ""));
        int before = INITIALISED.get();

        int done = ClassWarmup.initialize(list, ClassWarmupTest.class.getClassLoader());

        assertThat(done).isEqualTo(2);
        assertThat(INITIALISED.get() - before).isEqualTo(2);   // Listed and AlsoListed, not Unlisted
    }

    @Test
    void aMissingListIsNoList() {
        assertThat(ClassWarmup.initialize(dir.resolve("absent"), ClassWarmupTest.class.getClassLoader())).isZero();
    }

    @Test
    void aListOverItsBoundIsNotReadAtAll() throws Exception {
        var big = new StringBuilder(name(TooLate.class)).append('\n');
        while (big.length() <= ClassWarmup.MAX_BYTES) {
            big.append("# padding, not a class name, to push the list over its bound\n");
        }
        Path list = Files.writeString(dir.resolve("classes"), big);
        int before = INITIALISED.get();

        assertThat(ClassWarmup.initialize(list, ClassWarmupTest.class.getClassLoader())).isZero();
        assertThat(INITIALISED.get()).isEqualTo(before);
    }
}
