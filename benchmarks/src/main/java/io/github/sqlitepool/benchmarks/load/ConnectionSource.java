package io.github.sqlitepool.benchmarks.load;

import java.sql.Connection;
import java.sql.SQLException;

/** Where a worker gets the connection for one operation and where it gives it back. */
public interface ConnectionSource extends AutoCloseable {

    /** A connection for one operation. */
    Connection acquire() throws SQLException;

    /** Gives back a connection returned by {@link #acquire()}. */
    void release(Connection connection) throws SQLException;

    @Override
    void close() throws SQLException;
}
