package io.github.sqlitepool.pool;

import java.sql.SQLException;

/**
 * How one lease's JDBC transactions hold the write lane (docs/write-lane.md, "When the lane is
 * held"): revocably from the begin, kept or taken again revocably at the first read, firmly from
 * the first write; and whether a transaction that read first may still write.
 */
final class TransactionLane {

    private final LeaseOwner owner;

    /** The lease, which is also the token it holds the lane with. */
    private final ConnectionLease lease;

    /** The lane's commit count when the snapshot of the transaction that read first began. */
    private long snapshotCommits;

    TransactionLane(LeaseOwner owner, ConnectionLease lease) {
        this.owner = owner;
        this.lease = lease;
    }

    /**
     * A JDBC transaction that may write takes the lane revocably as it begins, before the code
     * running in it takes any lock of its own: a lock taken inside a transaction (Spring Batch's
     * execution-context DAO lock, a {@code synchronized} service method) then always comes after
     * the lane, in every transaction, and two transactions cannot each wait for what the other
     * holds. The hold costs others nothing until they want to write, and then at most the lane's
     * revocation bound; a hold revoked before the first statement costs its transaction nothing,
     * since it has no snapshot yet. A {@code joinable} transaction may instead be handed the lane
     * firmly, to join a commit group ({@link GroupMembership}).
     *
     * @return whether the lane is held now
     */
    boolean atBegin(boolean joinable) throws SQLException {
        return owner.acquireWriteLaneRevocably(lease, joinable);
    }

    /**
     * Before a JDBC transaction begins: sets the deferred {@code BEGIN} (a {@code BEGIN IMMEDIATE}
     * would take SQLite's write lock without the lane) and, unless {@code readOnly}, takes the lane
     * revocably ({@link #atBegin}); nothing while the lane is off.
     *
     * @return whether the lane is held now
     */
    boolean beforeBegin(boolean readOnly, boolean joinable) throws SQLException {
        if (!owner.writeLaneEnabled()) {
            return false;
        }
        SqliteTransactionControl.beginDeferred(lease.delegate);
        return !readOnly && atBegin(joinable);
    }

    /** The transaction's first statement reads: its snapshot begins, under the lane if it can be had. */
    void atFirstRead() throws SQLException {
        if (!owner.holdsWriteLane(lease)) { // taken at the begin, unless revoked since or not had then
            owner.acquireWriteLaneRevocably(lease, false); // false: not had within the read wait, or its thread writes elsewhere
        }
        snapshotCommits = owner.writeLaneCommits();
    }

    /** A transaction goes on with a snapshot taken when the lane's commit count was {@code commits}. */
    void snapshotAt(long commits) {
        snapshotCommits = commits;
    }

    /**
     * The transaction is about to write: it confirms its revocable hold, or, revoked, takes the lane
     * again; one that {@code readFirst} then checks that nobody committed since its snapshot, and
     * fails with SQLState {@code 40001} if someone did (SQLite would refuse the upgrade).
     */
    void atFirstWrite(boolean readFirst, String sql) throws SQLException {
        if (owner.confirmWriteLane(lease)) {
            return;
        }
        owner.acquireWriteLane(lease); // revoked, or never had: waits its turn like any writer
        if (!readFirst) {
            return;
        }
        long commits = owner.writeLaneCommits();
        if (commits != snapshotCommits) {
            owner.releaseWriteLane(lease, false);
            owner.serializationFailure();
            throw TransactionErrors.serializationFailure(owner.name(), commits - snapshotCommits, sql);
        }
    }
}
