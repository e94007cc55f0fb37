package io.github.sqlitepool.pool;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeUnit;

/** The errors a wait for the {@link WriteLane} ends in, each with the lane's state and what to do. */
final class LaneErrors {

    private LaneErrors() {
    }

    /**
     * A thread whose transaction has written through one lease asks for the lane to write through
     * another: waiting could never succeed.
     */
    static SQLException nestedWrite(String poolName, Thread current) {
        return new SQLException("write lane of pool '" + poolName + "': thread '" + current.getName()
                + "' already holds the lane through another connection whose transaction has written, and asks"
                + " for it again to write through a second one; waiting could never succeed (SQLite has one writer"
                + " per database: the second write transaction of one thread would wait for the first forever)."
                + " Write through the connection that holds the lane, or commit its transaction first (for"
                + " example: a REQUIRES_NEW write after the outer transaction wrote; move it before the outer"
                + " transaction's first write, or after its commit). With JPA this is an id generator that"
                + " fetches a block of ids on its own connection after the transaction wrote (more new entities"
                + " in one transaction than the generator's allocation size): use GenerationType.IDENTITY, or"
                + " a larger allocationSize", SqlStates.INVALID_TRANSACTION_STATE);
    }

    /** The waiter was interrupted while parked; {@code state} is the lane's. */
    static SQLException interrupted(String poolName, WriteLaneStats state) {
        return new SQLException("interrupted while waiting for the write lane of pool '" + poolName + "'; "
                + state, SqlStates.CONNECTION_UNAVAILABLE);
    }

    /** The lane did not become free within {@code timeoutNanos}; {@code state} is the lane's and the pool's. */
    static SQLTransientConnectionException timeout(String poolName, long timeoutNanos, String state) {
        return new SQLTransientConnectionException("write lane of pool '" + poolName + "' not available within "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (sqlite.pool.acquire-timeout): " + state,
                SqlStates.CONNECTION_UNAVAILABLE);
    }
}
