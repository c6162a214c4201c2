package dev.nugator.daemon;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sets up slf4j-simple before the first logger exists: level, destination, timestamps. Logs go
 * to stderr or a file, never to a CNI result. slf4j-simple reads its settings once, when the first
 * logger is made (by us or by a library such as netty during the TLS set-up), so this must run
 * before anything else in nugatord.
 *
 * <p>The log is written through an {@link EscapingPrintStream} installed as {@code System.err}
 * (slf4j-simple looks {@code System.err} up at every record): that one place escapes the control
 * characters of every logged value. Start-up failures are still told on the real stderr: picocli
 * is given that stream before this runs (see {@link Main#main}).
 */
final class Logging {
    private Logging() {}

    /**
     * Configures the log; a log file is appended to, so that a restart keeps what came before.
     *
     * @throws IOException when {@code file} cannot be opened; nothing is changed then
     */
    static void configure(String level, Path file) throws IOException {
        var target = file == null ? System.err
                : new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
        System.setErr(new EscapingPrintStream(target));
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        // jetcd warns of every failed call's retries; our store says it once, with the cause
        System.setProperty("org.slf4j.simpleLogger.log.io.etcd.jetcd", "error");
    }
}
