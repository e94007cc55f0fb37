package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.SQLException;

import io.github.sqlitepool.pool.config.SqliteConnectionFactory;

/**
 * The pool as its leases see it: where a closed lease goes back to, the write lane a lease
 * writes through, and where its settings and storage failures are reported.
 */
final class PoolLeaseOwner implements LeaseOwner {

    private final String poolName;

    private final PoolListeners listeners;

    private final ConnectionRecycler recycler;

    /** Null when {@code write-lane.enabled} is false. */
    private final WriteLane writeLane;

    /** Null when {@code write-lane.enabled} is false. */
    private final WriteLaneAccess laneAccess;

    private final ClosedFlag closed;

    private final SqliteConnectionFactory factory;

    private final WriteOutcomes writeOutcomes;

    /** Null when group commit (or the write lane) is off. */
    private final GroupCommit groupCommit;

    /** The session PRAGMAs put back with the configured ones. */
    private final SessionPragmas sessionPragmas = new SessionPragmas();

    PoolLeaseOwner(String poolName, PoolListeners listeners, ConnectionRecycler recycler, WriteLane writeLane,
            WriteLaneAccess laneAccess, ClosedFlag closed, SqliteConnectionFactory factory,
            WriteOutcomes writeOutcomes, GroupCommit groupCommit) {
        this.poolName = poolName;
        this.listeners = listeners;
        this.recycler = recycler;
        this.writeLane = writeLane;
        this.laneAccess = laneAccess;
        this.closed = closed;
        this.factory = factory;
        this.writeOutcomes = writeOutcomes;
        this.groupCommit = groupCommit;
    }

    @Override
    public boolean readyToReturn(ConnectionLease lease) {
        if (listeners.any()) {
            long leasedAt = lease.leasedAtNanos();
            // a lease taken before the first listener came was not timed
            long held = leasedAt == ConnectionLease.NOT_TIMED ? 0L : System.nanoTime() - leasedAt;
            listeners.leaseReleased(lease, held);
        }
        return recycler.reset(lease);
    }

    @Override
    public void release(ConnectionLease lease, boolean reusable) {
        recycler.takeBack(lease, reusable);
    }

    @Override
    public String name() {
        return poolName;
    }

    @Override
    public boolean writeLaneEnabled() {
        return writeLane != null;
    }

    @Override
    public boolean acquireWriteLane(ConnectionLease lease, QueuedWrite<?> write) throws SQLException {
        if (closed.isClosed()) {
            throw closed.closedException();
        }
        return laneAccess.acquire(lease, write);
    }

    @Override
    public boolean acquireWriteLaneRevocably(ConnectionLease lease, boolean joinable) throws SQLException {
        if (closed.isClosed()) {
            throw closed.closedException();
        }
        return laneAccess.acquireRevocably(lease, joinable);
    }

    @Override
    public GroupCommit groupCommit() {
        return groupCommit;
    }

    @Override
    public boolean confirmWriteLane(ConnectionLease lease) throws SQLException {
        return laneAccess.confirm(lease);
    }

    @Override
    public boolean holdsWriteLane(ConnectionLease lease) {
        return writeLane.holder().isHeldBy(lease);
    }

    @Override
    public long releaseWriteLane(ConnectionLease lease, boolean committed) {
        return laneAccess.release(lease, committed);
    }

    @Override
    public long writeLaneCommits() {
        return writeLane.counts().commits();
    }

    @Override
    public void serializationFailure() {
        writeLane.counts().serializationFailure();
    }

    /** Reads the session PRAGMAs' values from {@code raw}, a connection just opened: see {@link SessionPragmas}. */
    void readSessionPragmas(Connection raw) throws SQLException {
        sessionPragmas.readFrom(raw, factory.pragmas());
    }

    @Override
    public void restoreSettings(Connection connection) throws SQLException {
        factory.apply(connection);
        sessionPragmas.restore(connection);
        if (groupCommit() != null) {
            ConnectionCounters.createTable(connection); // a temp_store change dropped it with every temporary table
        }
    }

    @Override
    public void statementFailed(Throwable e) {
        writeOutcomes.failed(e);
    }
}
