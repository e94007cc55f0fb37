package io.github.sqlitepool.pool;

import java.sql.SQLException;
import java.sql.Savepoint;

import io.github.sqlitepool.pool.sql.SqlClassifier;
import io.github.sqlitepool.pool.sql.SqlClassifier.SqlKind;
import io.github.sqlitepool.pool.sql.SqlStatements;

/**
 * A lease's JDBC transactions ({@code setAutoCommit(false)} to {@code commit()},
 * {@code rollback()} or {@code setAutoCommit(true)}, hence Spring's {@code @Transactional}) and the
 * write lane they hold: a state machine ({@link TransactionState}). The lane is held revocably from the begin,
 * firmly from the first statement that can write ({@link SqlClassifier}), until the transaction
 * ends; how, and the {@code 40001} of a transaction that read first and lost the lane, is
 * {@link TransactionLane}'s; with group commit, {@link GroupMembership} may run the transaction on
 * a group's connection. Used by {@link LeaseTransactions}, on the lease's thread.
 */
final class JdbcTransaction {

    private final LeaseOwner owner;

    /** The lease, which is also the token it holds the lane with. */
    private final ConnectionLease lease;

    private final boolean laneEnabled;

    /** The lease's open statements: a pending one keeps its snapshot past a commit. */
    private final LeaseResources resources;

    /** How the transactions hold the lane, and the commit count at their snapshot. */
    private final TransactionLane transactionLane;

    /** The lease's part in group commits. */
    private final GroupMembership membership;

    /** Told when a failed {@code COMMIT} is rolled back behind the driver's back. */
    private final AutoCommitLane autoCommitLane;

    private TransactionState state = TransactionState.NONE;

    /** Whether the open transaction is read-only (read-only cannot change inside one). */
    private boolean readOnly;

    /** In {@link TransactionState#ABORTED}: the error after which SQLite rolled the transaction back. */
    private SQLException abortedBy;

    JdbcTransaction(LeaseOwner owner, ConnectionLease lease, LeaseResources resources, GroupMembership membership,
            AutoCommitLane autoCommitLane) {
        this.owner = owner;
        this.lease = lease;
        this.laneEnabled = owner.writeLaneEnabled();
        this.resources = resources;
        this.transactionLane = new TransactionLane(owner, lease);
        this.membership = membership;
        this.autoCommitLane = autoCommitLane;
    }

    /** Whether a JDBC transaction is open. */
    boolean open() {
        return state != TransactionState.NONE;
    }

    // --- statements ---------------------------------------------------------------------------

    /**
     * Runs one execution of {@code sql} ({@code null}: a batch) by {@code statement}, of {@code kind},
     * in the transaction, with the lane it needs.
     */
    <T> T execute(LeasedStatement<?> statement, SqlKind kind, String sql, SqlCall<T> call) throws SQLException {
        if (groupRolledBack() || state == TransactionState.ABORTED) {
            throw TransactionErrors.aborted(abortedBy, "nothing was run: " + TransactionErrors.describe(sql));
        }
        if (membership.active() && statement.texts.beginsOrEnds(kind, sql)) {
            throw TransactionErrors.transactionSqlInGroup(sql);
        }
        if (laneEnabled && state != TransactionState.WRITING) {
            if (kind == SqlKind.WRITE || kind == SqlKind.BEGIN_WRITE) {
                beginWriting(sql);
            } else if (kind == SqlKind.READ && state == TransactionState.BEGUN && !SqlStatements.copiesDatabase(sql)) {
                beginReading(); // not for a VACUUM INTO, which SQLite refuses in a transaction: no snapshot is taken
            }
        }
        try {
            return call.call();
        } catch (SQLException e) {
            if (membership.active()) {
                memberStatementFailed(e);
            } else {
                noteAutomaticRollback(e);
            }
            throw e;
        }
    }

    /** Whether a waiter of its group rolled the member back ({@link GroupMembership#rollBackForDeadlock}): then ABORTED. */
    private boolean groupRolledBack() {
        SQLException rolledBack = membership.takeRollback();
        if (rolledBack == null) {
            return false;
        }
        abortedBy = rolledBack;
        state = TransactionState.ABORTED;
        return true;
    }

    /** Fails when SQLite, or the pool for its group, rolled the whole transaction back: {@code what} did not happen. */
    void checkNotRolledBack(String what) throws SQLException {
        if (groupRolledBack() || state == TransactionState.ABORTED) {
            throw TransactionErrors.aborted(abortedBy, what);
        }
    }

    /** In a group, any error may have rolled back the group's transaction: see {@link GroupMembership#statementFailed}. */
    private void memberStatementFailed(SQLException e) throws SQLException {
        if (membership.statementFailed(e)) {
            abortedBy = e;
            state = TransactionState.ABORTED;
        }
    }

    /** The transaction's first statement reads: its snapshot begins, under the lane if it can be had. */
    private void beginReading() throws SQLException {
        transactionLane.atFirstRead();
        state = TransactionState.READ;
    }

    /** The transaction is about to write (see {@link TransactionLane#atFirstWrite}). */
    private void beginWriting(String sql) throws SQLException {
        transactionLane.atFirstWrite(state == TransactionState.READ, sql);
        state = TransactionState.WRITING;
    }

    /**
     * SQLite rolls a transaction back by itself on some errors ({@code SQLITE_FULL},
     * {@code SQLITE_IOERR}, {@code SQLITE_BUSY}, {@code SQLITE_NOMEM}), while sqlite-jdbc still
     * reports the transaction open; the statements that followed would then each commit on
     * their own. After such an error this checks whether SQLite is still in a transaction.
     */
    private void noteAutomaticRollback(SQLException e) throws SQLException {
        if (SqliteTransactionControl.mayHaveRolledBack(e) && !SqliteTransactionControl.inTransaction(lease.delegate)) {
            abortedBy = e;
            state = TransactionState.ABORTED;
        }
    }

    // --- transaction boundaries --------------------------------------------------------------

    /**
     * Turning auto-commit off begins a deferred transaction holding the lane revocably (unless
     * {@code readOnly}); its first statement decides the rest (see {@link TransactionLane}).
     */
    void begin(boolean readOnly) throws SQLException {
        this.readOnly = readOnly;
        boolean held = transactionLane.beforeBegin(readOnly, membership.eligible(readOnly));
        if (held) {
            membership.joinIfHanded(); // before anything can fail: a group handed over waits for its member
        }
        try {
            lease.entry.raw().setAutoCommit(false); // the lease's own connection, also when it runs in a group
        } catch (SQLException | RuntimeException e) {
            if (membership.active()) {
                try {
                    membership.end(false);
                } catch (SQLException endFailure) {
                    e.addSuppressed(endFailure);
                }
            } else if (held) {
                owner.releaseWriteLane(lease, false);
            }
            throw e;
        }
        begun();
    }

    /** A JDBC transaction is open: the pool may lease this thread a reserve connection beside it. */
    private void begun() {
        state = TransactionState.BEGUN;
        lease.entry.transactionThread(Thread.currentThread());
    }

    /**
     * Turning auto-commit back on commits and releases the lane; if that commit fails, the
     * transaction is rolled back so that the lane is not released while SQLite still holds the
     * write lock.
     */
    void end() throws SQLException {
        if (membership.active()) {
            try {
                endAsMember(true);
            } finally {
                if (!membership.active()) { // else its commit was refused and it stays in its group, as alone
                    try {
                        lease.delegate.setAutoCommit(true); // its connection again: ends its empty transaction there
                    } finally {
                        toAutoCommit(false); // the lane went with the group
                    }
                }
            }
            return;
        }
        if (groupRolledBack() || state == TransactionState.ABORTED) { // end the transaction sqlite-jdbc believes open, then report
            SQLException aborted = TransactionErrors.aborted(abortedBy, "nothing was committed");
            try {
                rollbackDriverTransaction();
                lease.delegate.setAutoCommit(true);
            } finally {
                toAutoCommit(false);
            }
            throw aborted;
        }
        boolean committed = false;
        try {
            lease.delegate.setAutoCommit(true);
            committed = true;
        } catch (SQLException | RuntimeException e) {
            owner.statementFailed(e);
            // sqlite-jdbc flips its flag before COMMIT runs: a failed COMMIT leaves SQLite in
            // the transaction while the driver reports auto-commit
            try {
                rollbackSqlTransaction();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        } finally {
            toAutoCommit(committed);
        }
    }

    private void toAutoCommit(boolean committed) {
        boolean wrote = state == TransactionState.WRITING;
        state = TransactionState.NONE;
        lease.entry.transactionThread(null);
        abortedBy = null;
        if (laneEnabled) {
            owner.releaseWriteLane(lease, committed && wrote);
        }
    }

    /** Rolls back whatever transaction SQLite has open, behind the driver's back. */
    private void rollbackSqlTransaction() throws SQLException {
        autoCommitLane.sqlTransactionRolledBack();
        SqliteTransactionControl.rollback(lease.delegate);
    }

    /**
     * Commits; refused, with the error that caused it, when SQLite already rolled the transaction
     * back. The lane is let go; a failed {@code COMMIT} (a deferred foreign key, for example)
     * leaves the transaction open, and it keeps the lane.
     */
    void commit() throws SQLException {
        if (membership.active()) {
            endAsMember(true);
            return;
        }
        checkNotRolledBack("nothing was committed");
        if (state == TransactionState.WRITING && membership.eligible(readOnly)) {
            boolean grouped;
            try {
                grouped = membership.commitInGroup();
            } catch (SQLException e) {
                if (!lease.isClosed()) {
                    endedWithGroupFailure(e); // the group's last member rolled it back
                } // else the lease's close lets the lane go once it has rolled the transaction back
                throw e;
            }
            if (grouped) {
                transactionEnded(true);
                return;
            }
        }
        GroupCommit groups = owner.groupCommit();
        long start = state == TransactionState.WRITING && groups != null && groups.timesCommits() ? System.nanoTime() : 0L;
        try {
            lease.delegate.commit();
        } catch (SQLException e) {
            owner.statementFailed(e);
            if (state == TransactionState.WRITING) {
                noteAutomaticRollback(e); // unless SQLite itself rolled it back (SQLITE_FULL, ...)
            }
            throw e;
        }
        if (start != 0L) {
            groups.committed(System.nanoTime() - start); // groups form only when commits are slow
        }
        transactionEnded(true);
    }

    /**
     * Rolls the JDBC transaction back. When SQLite has already rolled it back by itself
     * ({@code SQLITE_FULL}, an I/O error, ... end the transaction), that counts as rolled back:
     * the caller sees the error that ended the transaction, not a failing rollback.
     */
    void rollback() throws SQLException {
        if (membership.active()) {
            endAsMember(false);
            return;
        }
        groupRolledBack(); // it held the lane no more: the release below finds another holder's, or none
        rollbackDriverTransaction();
        transactionEnded(false);
    }

    /**
     * A JDBC transaction ended and sqlite-jdbc began the next one (deferred): the lane goes. A
     * statement still pending keeps the connection's snapshot into the next transaction, which
     * then starts as one that has read.
     */
    private void transactionEnded(boolean committed) {
        boolean wrote = state == TransactionState.WRITING;
        long commits = laneEnabled ? owner.releaseWriteLane(lease, committed && wrote) : 0L;
        abortedBy = null;
        if (laneEnabled && !readOnly && !resources.noStatements()) {
            if (state != TransactionState.READ) {
                transactionLane.snapshotAt(commits); // it held the lane, or had no snapshot: nobody committed in between
            }
            state = TransactionState.READ;
        } else {
            state = TransactionState.BEGUN;
        }
    }

    /**
     * {@code commit()} or {@code rollback()} of a group's member ({@link GroupMembership#end}); a
     * transaction SQLite rolled back ({@link TransactionState#ABORTED}) is reported as such when committed.
     */
    private void endAsMember(boolean commit) throws SQLException {
        boolean aborted = state == TransactionState.ABORTED;
        boolean committed = false;
        SQLException notCommitted = null;
        try {
            membership.end(commit && !aborted);
            if (commit && aborted) {
                throw TransactionErrors.aborted(abortedBy, "nothing was committed");
            }
            committed = commit;
        } catch (SQLException e) {
            notCommitted = commit && !aborted ? e : null;
            throw e;
        } finally {
            if (notCommitted != null && !membership.active()) {
                endedWithGroupFailure(notCommitted);
            } else if (!membership.active()) { // else its commit was refused (a write result open): it goes on in its group
                transactionEnded(committed);
            }
        }
    }

    /**
     * The group's {@code COMMIT}, or this member's part of it, failed with {@code e}, and nothing of
     * the transaction was kept: alone, a failed {@code COMMIT} leaves the transaction open, and a
     * second {@code commit()} would fail again or commit its work; here it must not report an empty
     * transaction committed.
     */
    private void endedWithGroupFailure(SQLException e) {
        transactionEnded(false); // the lane went with the group
        abortedBy = e;
        state = TransactionState.ABORTED;
    }

    /** Rolls back the transaction sqlite-jdbc has open (also when SQLite already rolled it back). */
    void rollbackDriverTransaction() throws SQLException {
        SqliteTransactionControl.rollbackDriverTransaction(lease.delegate);
        abortedBy = null;
    }

    /** A savepoint set in auto-commit mode begins a deferred transaction: see {@link LeaseTransactions#savepoint}. */
    Savepoint beginWithSavepoint(SqlCall<Savepoint> call, boolean readOnly) throws SQLException {
        this.readOnly = readOnly;
        boolean held = transactionLane.beforeBegin(readOnly, false); // also for the transactions sqlite-jdbc begins after a commit
        Savepoint savepoint;
        try {
            savepoint = call.call();
        } catch (SQLException | RuntimeException e) {
            if (held) {
                owner.releaseWriteLane(lease, false);
            }
            throw e;
        }
        if (!lease.delegate.getAutoCommit()) {
            begun();
        } else if (held) {
            owner.releaseWriteLane(lease, false);
        }
        return savepoint;
    }

    // --- life cycle ---------------------------------------------------------------------------

    /** The lease ended: no transaction is followed any more. */
    void dropped() {
        state = TransactionState.NONE;
    }
}
