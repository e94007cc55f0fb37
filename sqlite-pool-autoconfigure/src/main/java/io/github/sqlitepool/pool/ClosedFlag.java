package io.github.sqlitepool.pool;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the pool has been closed: set once by {@link SqlitePool#close()}, read by every path
 * that hands out or takes back connections.
 */
final class ClosedFlag {

    private final String poolName;

    private final AtomicBoolean closing = new AtomicBoolean();

    private volatile boolean closed;

    ClosedFlag(String poolName) {
        this.poolName = poolName;
    }

    boolean isClosed() {
        return closed;
    }

    /** Marks the pool closed; true for the first call only, which then runs the close. */
    boolean close() {
        if (!closing.compareAndSet(false, true)) {
            return false;
        }
        closed = true;
        return true;
    }

    /** What a caller is told when it asks a closed pool for a connection or the write lane. */
    SQLException closedException() {
        return new SQLException("sqlite-pool '" + poolName + "' is closed; no new connections are handed out",
                SqlStates.CONNECTION_CLOSED);
    }
}
