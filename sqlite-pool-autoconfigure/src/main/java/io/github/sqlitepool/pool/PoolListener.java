package io.github.sqlitepool.pool;

import java.sql.Connection;

/**
 * Receives the pool's events, for metrics and leak detection. Methods run on the thread
 * that caused the event, inside the lease path: they must be quick and must not throw.
 * Register with {@link SqlitePool#addListener(PoolListener)}.
 */
public interface PoolListener {

    /**
     * A lease was handed out, on the thread that will use it.
     *
     * @param lease     the connection the caller received
     * @param waitNanos how long the caller waited for it; 0 when an idle connection was taken at once
     */
    default void leaseAcquired(Connection lease, long waitNanos) {
    }

    /**
     * A lease was closed and its connection handed back.
     *
     * @param lease     the connection the caller had
     * @param heldNanos how long it was held; 0 for a lease taken while no listener was registered
     *                  (leases are only timed when someone listens)
     */
    default void leaseReleased(Connection lease, long heldNanos) {
    }

    /** A caller gave up waiting for a connection after {@code acquire-timeout}. */
    default void acquireTimedOut(PoolStats stats) {
    }

    /**
     * A writer gave up waiting for the write lane after {@code acquire-timeout}: its write did not
     * run. Called on the writer's thread, before it gets its {@code SQLTransientConnectionException}.
     */
    default void writeLaneTimedOut() {
    }

    /**
     * A lease took the write lane.
     *
     * @param waitNanos how long it waited for the lane
     */
    default void writeLaneAcquired(long waitNanos) {
    }

    /**
     * The write lane was released.
     *
     * @param heldNanos how long it was held
     */
    default void writeLaneReleased(long heldNanos) {
    }

    /**
     * A group commit ended (docs/write-lane.md, "Group commit").
     *
     * @param members   how many transactions it held, the one that opened it included
     * @param committed whether its {@code COMMIT} succeeded; false: none of them was committed
     */
    default void groupCommitEnded(int members, boolean committed) {
    }

    /**
     * A group's member was rolled back to break a deadlock: its thread waited for a JVM lock that a
     * caller waiting for the group held across {@code commit()}; its transaction fails with SQLState
     * {@code 40001} (docs/write-lane.md, "Why it is off by default"). Called on that caller's thread.
     */
    default void groupDeadlockBroken() {
    }
}
