package dev.nugator.store;

/** Whether a transaction's compares held, and the store's revision after it. */
public record TxnResult(boolean succeeded, long revision) {}
