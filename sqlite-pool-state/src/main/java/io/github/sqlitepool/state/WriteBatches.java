package io.github.sqlitepool.state;

import javax.sql.DataSource;

import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Which write batch of the manager the current thread is in, so that a write through another
 * connection (the batch suspended by a {@code REQUIRES_NEW} transaction) is refused instead of
 * waiting for the writer the thread itself holds.
 */
final class WriteBatches {

    private final DataSource dataSource;

    /**
     * The transaction resource (Spring's connection holder) of the outermost write batch the
     * current thread is in; a write through any other connection while it is set would wait for
     * the writer this thread holds.
     */
    private final ThreadLocal<Object> batchConnection = new ThreadLocal<>();

    WriteBatches(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Enters a batch, in the transaction bound to the data source now.
     *
     * @return whether it is the thread's outermost batch, which must {@link #leave()} when it ends
     */
    boolean enter() {
        boolean outermost = batchConnection.get() == null;
        if (outermost) {
            batchConnection.set(TransactionSynchronizationManager.getResource(dataSource));
        }
        return outermost;
    }

    /** The thread's outermost batch ended. */
    void leave() {
        batchConnection.remove();
    }

    /** Refuses {@code operation} when the thread is inside a batch that is not the transaction bound now. */
    void checkWrite(String operation) {
        Object batch = batchConnection.get();
        if (batch != null && TransactionSynchronizationManager.getResource(dataSource) != batch) {
            throw new NestedWriteBatchException("Cannot " + operation + " on another connection: this thread is"
                    + " inside a write batch of the state manager (now suspended, e.g. by a REQUIRES_NEW"
                    + " transaction) that holds SQLite's single writer, so the write could only wait for"
                    + " itself. Run it in the batch's transaction (propagation REQUIRED) or after the batch.");
        }
    }
}
