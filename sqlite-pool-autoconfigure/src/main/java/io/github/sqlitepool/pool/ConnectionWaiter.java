package io.github.sqlitepool.pool;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a connection when none is idle: up to {@code acquire-timeout} for an idle one, or a
 * reserve connection for the threads entitled to one; says why when none came.
 */
final class ConnectionWaiter {

    /** How often a thread entitled to a reserve connection looks at it again while it waits. */
    private static final long RESERVE_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Duration acquireTimeout;

    private final IdleConnections idle;

    /** Null when {@code write-lane.enabled} is false. */
    private final ReserveConnections reserve;

    /** Null when {@code write-lane.enabled} is false. */
    private final WriteLane writeLane;

    private final ConnectionRecycler recycler;

    private final PoolCounters counters;

    private final PoolListeners listeners;

    private final ClosedFlag closed;

    ConnectionWaiter(Duration acquireTimeout, IdleConnections idle, ReserveConnections reserve, WriteLane writeLane,
            ConnectionRecycler recycler, PoolCounters counters, PoolListeners listeners, ClosedFlag closed) {
        this.acquireTimeout = acquireTimeout;
        this.idle = idle;
        this.reserve = reserve;
        this.writeLane = writeLane;
        this.recycler = recycler;
        this.counters = counters;
        this.listeners = listeners;
        this.closed = closed;
    }

    /**
     * Waits for a connection.
     *
     * @throws SQLTransientConnectionException when none became free in time
     * @throws SQLException                    when the pool was closed, or the thread was interrupted
     *                                         (its interrupt flag stays set)
     */
    PooledConnection await() throws SQLException {
        return reserve == null ? awaitConnection() : awaitConnectionOrReserve();
    }

    /**
     * The thread holding the write lane, and a thread with a transaction open on another lease,
     * take a reserve connection if theirs is free; while it is not, they look at it again every
     * {@link #RESERVE_RECHECK_NANOS} as they wait.
     */
    private PooledConnection awaitConnectionOrReserve() throws SQLException {
        Thread current = Thread.currentThread();
        boolean laneHolder = writeLane.holder().isHeldByThread(current);
        if (!laneHolder && !inTransactionOnAnotherLease(current)) {
            return awaitConnection();
        }
        long deadline = System.nanoTime() + acquireTimeout.toNanos();
        while (true) {
            PooledConnection connection = laneHolder ? reserve.take(ReserveConnections.FOR_LANE_HOLDER) : null;
            if (connection == null) {
                connection = reserve.take(ReserveConnections.FOR_OPEN_TRANSACTION);
            }
            if (connection != null) {
                return connection;
            }
            long remaining = deadline - System.nanoTime();
            connection = awaitConnection(Math.min(Math.max(0L, remaining), RESERVE_RECHECK_NANOS), remaining <= 0);
            if (connection != null) {
                return connection;
            }
        }
    }

    private boolean inTransactionOnAnotherLease(Thread thread) {
        for (PooledConnection connection : idle.members()) {
            if (connection.inTransactionOf(thread)) {
                return true;
            }
        }
        return false;
    }

    private PooledConnection awaitConnection() throws SQLException {
        return awaitConnection(acquireTimeout.toNanos(), true);
    }

    /**
     * Waits up to {@code timeoutNanos} for an idle connection; null when the time ran out and
     * {@code last} is false, the pool-exhausted exception when it is true.
     */
    private PooledConnection awaitConnection(long timeoutNanos, boolean last) throws SQLException {
        try {
            recycler.refill();
            PooledConnection connection = idle.poll(timeoutNanos, TimeUnit.NANOSECONDS);
            if (connection != null) {
                return connection;
            }
            if (!last && !closed.isClosed()) {
                return null;
            }
            if (closed.isClosed()) {
                throw closed.closedException();
            }
            // this thread has just left the queue; it was one of the waiters that found nothing
            PoolStats now = counters.stats();
            PoolStats stats = new PoolStats(now.name(), now.max(), now.total(), now.active(), now.idle(),
                    now.waiting() + 1);
            listeners.tell(listener -> listener.acquireTimedOut(stats));
            throw new SQLTransientConnectionException("Database connection pool exhausted: " + stats
                    + " had no connection available within " + acquireTimeout.toMillis()
                    + " ms; " + (writeLane == null ? WriteLaneStats.DISABLED : writeLane.stats()),
                    SqlStates.CONNECTION_UNAVAILABLE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a connection from " + counters.stats(),
                    SqlStates.CONNECTION_UNAVAILABLE, e);
        }
    }
}
