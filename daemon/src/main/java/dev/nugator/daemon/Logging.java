package dev.nugator.daemon;

import java.nio.file.Path;

/**
 * Sets up slf4j-simple before the first logger exists: level, destination, timestamps. Logs go
 * to stderr or a file, never to a CNI result.
 */
final class Logging {
    private Logging() {}

    static void configure(String level, Path file) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        System.setProperty("org.slf4j.simpleLogger.logFile", file == null ? "System.err" : file.toString());
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        // jetcd warns of every failed call's retries; our store says it once, with the cause
        System.setProperty("org.slf4j.simpleLogger.log.io.etcd.jetcd", "error");
    }
}
