package io.github.sqlitepool.pool;

import java.sql.SQLException;

/** What a {@link ConnectionLease} hands itself back to when it is closed, and the write lane it writes through. */
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
     * Takes the write lane for {@code token} until released, waiting at most {@code acquire-timeout};
     * a revocable hold of the same thread through another token is revoked.
     *
     * @throws SQLException when it times out, is interrupted, or the thread already holds the lane
     *                      for a write through another token
     */
    default void acquireWriteLane(Object token) throws SQLException {
    }

    /**
     * Takes the write lane for {@code token} revocably (a transaction's first read), waiting at most
     * {@code acquire-timeout}; false, at once, when the thread holds it for a write through another token.
     *
     * @throws SQLException when it times out or is interrupted
     */
    default boolean acquireWriteLaneRevocably(Object token) throws SQLException {
        return false;
    }

    /** Makes {@code token}'s hold firm; false when it does not hold the lane (any more). */
    default boolean confirmWriteLane(Object token) {
        return false;
    }

    /**
     * Releases the write lane held by {@code token}; does nothing when it does not hold it.
     * {@code committed}: the holder's transaction committed (counted if it may have written).
     *
     * @return the lane's commit count as of the release
     */
    default long releaseWriteLane(Object token, boolean committed) {
        return 0L;
    }

    /** The lane's commit count now (see {@link WriteLane#commits()}). */
    default long writeLaneCommits() {
        return 0L;
    }

    /** Counts a write refused with SQLState 40001. */
    default void serializationFailure() {
    }
}
