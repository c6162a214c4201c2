package dev.nugator.pairing;

/**
 * A stored record nugatord could not read (a newer writer's, or a damaged one): skipped wherever
 * records are read, logged, and shown by status, so that one bad record never stops the others.
 */
public record UnreadableRecord(String key, String reason) {}
