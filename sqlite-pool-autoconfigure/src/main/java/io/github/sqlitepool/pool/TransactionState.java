package io.github.sqlitepool.pool;

/** Where a lease's JDBC transaction is ({@link JdbcTransaction}'s states). */
enum TransactionState {
    /** No JDBC transaction: the lease is in auto-commit mode. */
    NONE,
    /** A JDBC transaction that has run nothing yet (or only savepoints): no snapshot; the lane held revocably, or not. */
    BEGUN,
    /** A JDBC transaction that has read and not written: its snapshot is taken, the lane held revocably. */
    READ,
    /** A JDBC transaction that may have written: the lane is held until it ends. */
    WRITING,
    /** Rolled back as a whole (by SQLite after an error, or by the pool for its group); only a rollback leaves it. */
    ABORTED
}
