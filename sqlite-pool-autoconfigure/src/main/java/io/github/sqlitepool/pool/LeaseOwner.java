package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.SQLException;

/** What a {@link ConnectionLease} hands itself back to when it is closed, and the write lane it writes through. */
interface LeaseOwner {

    /**
     * Readies the lease's connection to go back, while the lease still holds the write lane: its
     * group settled, its transaction rolled back, its settings restored. Called once per lease,
     * before {@link #release}.
     *
     * @return whether the connection can be used again
     */
    default boolean readyToReturn(ConnectionLease lease) {
        return false;
    }

    /**
     * Takes back the lease's connection, after the lease let the write lane go: keeps it when
     * {@code reusable} ({@link #readyToReturn}), else closes it. Called once per lease.
     */
    void release(ConnectionLease lease, boolean reusable);

    /** The name used in messages. */
    String name();

    /** Whether leases must serialise their writes through {@link #acquireWriteLane}. */
    default boolean writeLaneEnabled() {
        return false;
    }

    /**
     * Takes the write lane for {@code lease} until released, waiting at most {@code acquire-timeout}
     * (and the running execution's query timeout); a revocable hold of the same thread through
     * another lease is revoked.
     *
     * @throws SQLException when it times out, is interrupted, or the thread already holds the lane
     *                      for a write through another lease
     */
    default void acquireWriteLane(ConnectionLease lease) throws SQLException {
        acquireWriteLane(lease, null);
    }

    /**
     * {@link #acquireWriteLane(ConnectionLease)}; an auto-commit {@code write} that may run in a
     * commit group ({@link #groupCommit()}; null for any other request) may instead be run by a
     * group's holder.
     *
     * @return false when a group's holder took {@code write}: the lease does not hold the lane, and
     *         the write's outcome is {@link QueuedWrite#outcome()}
     */
    default boolean acquireWriteLane(ConnectionLease lease, QueuedWrite<?> write) throws SQLException {
        return true;
    }

    /**
     * Takes the write lane for {@code lease} revocably (a transaction's begin or first read), waiting
     * a bounded time; false when it did not get it, and at once when the thread holds it for a
     * write through another lease. A {@code joinable} transaction may be handed it to join a
     * commit group ({@link #groupCommit()}).
     *
     * @throws SQLException when it is interrupted
     */
    default boolean acquireWriteLaneRevocably(ConnectionLease lease, boolean joinable) throws SQLException {
        return false;
    }

    /** The pool's group commit; null when it is off (or the write lane is). */
    default GroupCommit groupCommit() {
        return null;
    }

    /**
     * Makes {@code lease}'s hold firm before its first write; false when it does not hold the lane (any more).
     *
     * @throws SQLException when writes are refused (a storage fault)
     */
    default boolean confirmWriteLane(ConnectionLease lease) throws SQLException {
        return false;
    }

    /** Whether {@code lease} holds the write lane now (revocably or not). */
    default boolean holdsWriteLane(ConnectionLease lease) {
        return false;
    }

    /**
     * Releases the write lane held by {@code lease}; does nothing when it does not hold it.
     * {@code committed}: the holder's transaction committed (counted if it may have written).
     *
     * @return the lane's commit count as of the release
     */
    default long releaseWriteLane(ConnectionLease lease, boolean committed) {
        return 0L;
    }

    /** The lane's commit count now (see {@link WriteLane#commits()}). */
    default long writeLaneCommits() {
        return 0L;
    }

    /** Counts a write refused with SQLState 40001. */
    default void serializationFailure() {
    }

    /**
     * Applies the configured PRAGMAs to a pooled connection again, after a lease ran SQL that may
     * have changed them; the connection is replaced when this fails.
     */
    default void restoreSettings(Connection connection) throws SQLException {
    }

    /** Hears of every SQL error a lease saw, so that storage failures (disk full, I/O error) are known. */
    default void statementFailed(Throwable e) {
    }
}
