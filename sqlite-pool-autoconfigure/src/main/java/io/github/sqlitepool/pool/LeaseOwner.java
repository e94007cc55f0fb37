package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.SQLException;

/** What a {@link ConnectionLease} hands itself back to when it is closed. */
interface LeaseOwner {

    /** Takes back the lease's connection: resets and keeps it, or closes it. Called once per lease. */
    void release(ConnectionLease lease);

    /** The name used in messages. */
    String name();

    /** Whether leases must serialise their writes through {@link #acquireWriteLane}. */
    default boolean writeLaneEnabled() {
        return false;
    }

    /**
     * Takes the write lane for {@code lease}, waiting at most {@code acquire-timeout}.
     *
     * @throws SQLException when it times out, is interrupted, or the thread already holds
     *                      the lane through another lease
     */
    default void acquireWriteLane(ConnectionLease lease) throws SQLException {
    }

    /**
     * Applies the configured PRAGMAs to a pooled connection again, after a lease ran SQL that may
     * have changed them; the connection is replaced when this fails.
     */
    default void restoreSettings(Connection connection) throws SQLException {
    }

    /** Releases the write lane held by {@code lease}; does nothing when it does not hold it. */
    default void releaseWriteLane(ConnectionLease lease) {
    }

    /** Hears of every SQL error a lease saw, so that storage failures (disk full, I/O error) are known. */
    default void statementFailed(Throwable e) {
    }
}
