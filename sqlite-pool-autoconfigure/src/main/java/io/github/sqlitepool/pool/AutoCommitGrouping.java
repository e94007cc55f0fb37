package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A lease's auto-commit writes in group commits ({@code group-commit.auto-commit-writes}): a write
 * holding the lane joins the group it was handed the lane for, as a member of one statement run
 * on a statement made like the caller's on the group's connection ({@link GroupedWrite}); or,
 * while other writers wait, runs in a transaction on its own connection that opens a group; or
 * runs alone. Made at the lease's first write when auto-commit writes are grouped; used by
 * {@link AutoCommitLane} on the lease's thread, through the lease's {@link GroupMembership}.
 */
final class AutoCommitGrouping {

    private final ConnectionLease lease;

    private final GroupMembership membership;

    /**
     * A write of this lease ran in a group: its connection's {@code last_insert_rowid()},
     * {@code changes()} and {@code total_changes()} do not count it, so SQL asking for them is
     * refused for the rest of the lease.
     */
    private boolean wroteInGroup;

    AutoCommitGrouping(ConnectionLease lease, GroupMembership membership) {
        this.lease = lease;
        this.membership = membership;
    }

    /**
     * Whether the lease's auto-commit write of {@code sql} by {@code statement} may take part in
     * a group: the write can run on another connection ({@link GroupedWrite#mayRunInGroup}), and
     * nothing ties the lease to its own ({@link GroupMembership#eligibleForWrite}).
     */
    boolean mayGroup(LeasedStatement<?> statement, String sql) {
        return membership.eligibleForWrite() && GroupedWrite.mayRunInGroup(statement, sql);
    }

    /**
     * Runs the write, which holds the lane ({@code joinable}): in the group it was handed the lane
     * for, in a group it opens while writers wait, or alone (timed: groups form only while commits
     * are slow). {@code lane} takes the lane again when the write was evicted from its group
     * before it moved in.
     */
    <T> T execute(LeasedStatement<?> statement, String sql, SqlCall<T> call, LaneRetake lane) throws SQLException {
        if (membership.joinIfHanded()) {
            if (membership.enterWithWrite()) {
                return writeInGroup(statement, sql, call);
            }
            lane.retake(); // evicted before it moved in: the group went on without it
        } else if (membership.worthOpeningGroup()) {
            return writeOpeningGroup(statement, call);
        }
        if (!membership.timesCommit()) {
            return call.call();
        }
        long start = System.nanoTime();
        T result = call.call();
        membership.committedAlone(System.nanoTime() - start); // its commit took at most that
        return result;
    }

    /** Takes the write lane again, without joining a group. */
    interface LaneRetake {
        void retake() throws SQLException;
    }

    /**
     * On the group's connection: runs the write in the member's savepoint and returns once the
     * group has committed; its own error undoes only its savepoint.
     */
    private <T> T writeInGroup(LeasedStatement<?> statement, String sql, SqlCall<T> call) throws SQLException {
        T result;
        try {
            result = GroupedWrite.runOn(statement, lease.delegate, sql, call);
        } catch (SQLException | RuntimeException e) {
            if (e instanceof SQLException failure) {
                membership.statementFailed(failure);
            }
            try {
                membership.endWrite(false);
            } catch (SQLException endFailure) {
                e.addSuppressed(endFailure);
            }
            throw e;
        }
        wroteInGroup = true;
        membership.endWrite(true);
        return result;
    }

    /**
     * Runs the write in a transaction on the lease's connection that a waiting writer may join,
     * then commits it, or the group it opened. A failed write commits what SQLite kept of it, as
     * auto-commit mode would.
     */
    private <T> T writeOpeningGroup(LeasedStatement<?> statement, SqlCall<T> call) throws SQLException {
        lease.delegate.setAutoCommit(false); // sqlite-jdbc begins, as a JDBC transaction's owner would have
        try {
            T result;
            try {
                result = call.call();
            } catch (SQLException | RuntimeException e) {
                finishAlone(e);
                throw e;
            }
            statement.ranElsewhere(GroupedWrite.Results.updateCountOf(statement.delegate)); // before others write here
            if (membership.commitInGroup()) {
                wroteInGroup = true;
            } else {
                commitAlone();
            }
            return result;
        } finally {
            lease.delegate.setAutoCommit(true); // the connection may be another one now (GroupMembership#commitInGroup)
            lease.entry.transactionThread(null); // an exchanged one came from a transaction
        }
    }

    /** No writer joined: the write's transaction commits alone; a failed {@code COMMIT} leaves nothing of it. */
    private void commitAlone() throws SQLException {
        Connection own = lease.delegate;
        long start = System.nanoTime();
        try {
            own.commit();
        } catch (SQLException e) {
            try {
                SqliteTransactionControl.rollback(own);
                SqliteTransactionControl.beginAsTheDriverWould(own); // what sqlite-jdbc believes open
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        }
        membership.committedAlone(System.nanoTime() - start);
    }

    /** The write failed before any group opened: what SQLite kept of it is committed, as in auto-commit mode. */
    private void finishAlone(Exception cause) {
        try {
            if (SqliteTransactionControl.inTransaction(lease.delegate)) {
                lease.delegate.commit();
            } else {
                SqliteTransactionControl.beginAsTheDriverWould(lease.delegate); // SQLite rolled it back: the driver's view again
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * Refuses {@code sql} that asks the connection what its writes did after a write of this lease
     * ran on a group's connection: the answer would not count it.
     */
    void checkConnectionStateAsked(String sql) throws SQLException {
        if (wroteInGroup && GroupedWrite.asksConnectionState(sql)) {
            throw new SQLException("an auto-commit write of this connection ran in a group commit, on another "
                    + "connection, so last_insert_rowid(), changes() and total_changes() here would not count it; "
                    + "use Statement.getGeneratedKeys() and the update count, or set "
                    + "sqlite.pool.write-lane.group-commit.auto-commit-writes=false", SqlStates.INVALID_TRANSACTION_STATE);
        }
    }
}
