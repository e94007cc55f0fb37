package io.github.sqlitepool.benchmarks.load;

import java.sql.Connection;
import java.sql.SQLException;

/** Where a worker gets the connection for one operation and where it gives it back. */
public interface ConnectionSource extends AutoCloseable {

    /** A connection for one operation. */
    Connection acquire() throws SQLException;

    /**
     * A connection for one operation that {@code writes} (in a transaction that is not read-only,
     * or an auto-commit write) or only reads: a source that routes the two apart (a split of one
     * writer and readers) needs to know; the others give the same connection either way.
     */
    default Connection acquire(boolean writes) throws SQLException {
        return acquire();
    }

    /** Gives back a connection returned by {@link #acquire()}. */
    void release(Connection connection) throws SQLException;

    @Override
    void close() throws SQLException;
}
