package io.github.sqlitepool.state;

/**
 * A thread inside a write batch asked to write through a different connection (for example
 * from a {@code REQUIRES_NEW} transaction). SQLite has one writer and the batch holds it, so
 * that write could only wait for the batch that waits for it.
 */
public class NestedWriteBatchException extends StateException {

    public NestedWriteBatchException(String message) {
        super(message);
    }
}
