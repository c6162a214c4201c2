package dev.nugator.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Initialises, at start, the classes a training run of a bring-up initialised (the list
 * scripts/train-nugatord.sh writes next to the AOT cache). With {@code -XX:+AOTCompileEagerly}, the
 * JVM compiles what the training run compiled as soon as the classes involved are initialised: done
 * here, those compilations happen while nugatord starts, not during the first pods' ADDs.
 *
 * <p>Only classes the same daemon initialised in the training run are listed, in the order it did,
 * and it runs first, before the store is opened and any other thread of nugatord's starts: no other
 * thread initialises a class meanwhile, so none can wait on this one.
 *
 * <p>The list is a file of the distribution, but read as any input: bounded, one binary class name
 * per line, a line that is not one skipped. A class that cannot be found is skipped too (a list
 * from another build costs nothing but the early compilation).
 */
final class ClassWarmup {
    private static final Logger log = LoggerFactory.getLogger(ClassWarmup.class);
    /** The property the launcher sets to the list's path when it runs nugatord with its AOT cache. */
    static final String PROPERTY = "nugator.warmup";
    static final int MAX_BYTES = 1 << 20;
    private static final Pattern BINARY_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

    private ClassWarmup() {}

    /** Initialises the classes the file at {@code nugator.warmup} names, if the property is set; returns how many. */
    static int fromProperty() {
        String list = System.getProperty(PROPERTY);
        return list == null || list.isEmpty() ? 0 : initialize(Path.of(list), ClassWarmup.class.getClassLoader());
    }

    static int initialize(Path list, ClassLoader loader) {
        long start = System.nanoTime();
        byte[] bytes;
        try (InputStream in = Files.newInputStream(list)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            log.warn("cannot read the class list {}: {}; nugatord starts without it", list, e.toString());
            return 0;
        }
        if (bytes.length > MAX_BYTES) {
            log.warn("the class list {} is over {} bytes; nugatord starts without it", list, MAX_BYTES);
            return 0;
        }
        int done = 0;
        int skipped = 0;
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            String name = line.strip();
            if (name.isEmpty()) {
                continue;
            }
            if (!BINARY_NAME.matcher(name).matches()) {
                skipped++;
                continue;
            }
            try {
                Class.forName(name, true, loader);
                done++;
            } catch (ExceptionInInitializerError e) {
                // as its first use would have, had it come first; that use now fails the same way
                skipped++;
                log.warn("class list: initialising {} failed: {}", name, String.valueOf(e.getCause()));
            } catch (ClassNotFoundException | LinkageError e) {
                skipped++;   // a list from another build: nothing is lost but the early compilation
                log.debug("class list: {} not initialised: {}", name, e.toString());
            }
        }
        log.debug("class list {}: {} classes initialised, {} skipped, in {} ms", list, done, skipped,
                (System.nanoTime() - start) / 1_000_000);
        return done;
    }
}
