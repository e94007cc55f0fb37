package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lease's auto-commit writes in group commits ({@code group-commit.auto-commit-writes}): a write
 * holding the lane joins the group it was handed the lane for, as a member of one statement run
 * on a statement made like the caller's on the group's connection ({@link GroupedWrite}); or,
 * while other writers wait, runs in a transaction on its own connection that opens a group; or
 * runs alone. Made at the lease's first write when auto-commit writes are grouped; used by
 * {@link AutoCommitLane} on the lease's thread, through the lease's {@link GroupMembership}.
 */
final class AutoCommitGrouping {

    private static final Logger log = LoggerFactory.getLogger(AutoCommitGrouping.class);

    private final ConnectionLease lease;

    private final LeaseOwner owner;

    private final GroupMembership membership;

    /**
     * A write of this lease ran in a group: its connection's {@code last_insert_rowid()},
     * {@code changes()} and {@code total_changes()} do not count it, so SQL asking for them is
     * refused for the rest of the lease.
     */
    private boolean wroteInGroup;

    /** The lease's write while it waits for the lane, or for the group that took it; read by a thread that ends the lease. */
    private volatile QueuedWrite<?> queued;

    /** Open while the lease's write runs the transaction of a group it may open; read by a thread that ends the lease. */
    private volatile CountDownLatch opened;

    AutoCommitGrouping(ConnectionLease lease, LeaseOwner owner, GroupMembership membership) {
        this.lease = lease;
        this.owner = owner;
        this.membership = membership;
    }

    /**
     * Whether the lease's auto-commit write of {@code sql} by {@code statement} may take part in
     * a group: the write can run on another connection ({@link GroupedWrite#mayRunInGroup}), and
     * nothing ties the lease to its own ({@link GroupMembership#eligibleForWrite}).
     */
    boolean mayGroup(LeasedStatement<?> statement, String sql) {
        return membership.eligibleForWrite(statement) && GroupedWrite.mayRunInGroup(statement, sql);
    }

    /**
     * The lease's write of {@code sql} by {@code statement}, about to wait for the lane: a group's
     * holder may take and run it ({@link WriteBatch}).
     */
    <T> QueuedWrite<T> queue(LeasedStatement<?> statement, String sql, SqlCall<T> call) {
        QueuedWrite<T> write = new QueuedWrite<>(statement, sql, call);
        queued = write;
        return write;
    }

    /** The lease's write left the lane's queue: it holds the lane now, or did not get it. */
    void dequeued() {
        queued = null;
    }

    /**
     * A group's holder took the lease's write: returns once the group has ended, with what the
     * write returned, or throws what it threw, or the group's failure.
     */
    <T> T ranInGroup(QueuedWrite<T> write) throws SQLException {
        try {
            return write.outcome();
        } finally {
            queued = null;
            if (write.ranInSqlite()) {
                wroteInGroup = true; // what it did there, this connection did not do
            }
        }
    }

    /**
     * Before the lease's connection is taken back, from whatever thread ends the lease: a write
     * still waiting may no longer be taken by a group (its thread, given the lane, finds its
     * statement closed), and one a group took is waited for (the group runs on the caller's
     * statement object).
     */
    void settle() {
        QueuedWrite<?> write = queued;
        if (write != null && !owner.groupCommit().withdraw(write)) {
            write.awaitEnd();
        }
        CountDownLatch running = opened;
        if (running != null) {
            awaitUninterruptibly(running); // the group runs others' writes on this connection until then
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs the write, which asked for the lane as a joinable writer and got it: in the group it was
     * handed the lane for, in a group it opens while writers wait, or alone (timed: groups form
     * only while commits are slow). A write handed a group but evicted before it moved in (its
     * thread did not run within the bound a group waits for a member) takes the lane again.
     */
    <T> T execute(LeasedStatement<?> statement, String sql, SqlCall<T> call) throws SQLException {
        if (membership.joinIfHanded()) {
            if (membership.enterWithWrite()) {
                return writeInGroup(statement, sql, call);
            }
            owner.acquireWriteLane(lease); // evicted: the group went on without it
        } else if (!owner.holdsWriteLane(lease)) {
            owner.acquireWriteLane(lease); // handed a group and evicted before it even looked: as above
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

    /**
     * On the group's connection: runs the write in the member's savepoint and returns once the
     * group has committed. A statement error leaves in the group what SQLite kept of the statement
     * (nothing, but for {@code OR FAIL}), as auto-commit mode commits it; the caller gets its error.
     */
    private <T> T writeInGroup(LeasedStatement<?> statement, String sql, SqlCall<T> call) throws SQLException {
        T result;
        try {
            result = GroupedWrite.runOn(statement, lease.connection(), sql, GroupedWrite.boundValues(statement), call);
        } catch (SQLException e) {
            endAfterFailure(e, true);
            throw e;
        } catch (RuntimeException | Error e) {
            endAfterFailure(e, false); // the driver's state is not known: its part is rolled back
            throw e;
        }
        wroteInGroup = true;
        membership.endWrite(true);
        return result;
    }

    /** Ends the member after its write failed with {@code failure}: {@code keep} releases its savepoint, else rolls it back. */
    private void endAfterFailure(Throwable failure, boolean keep) {
        try {
            if (failure instanceof SQLException e) {
                membership.statementFailed(e); // SQLite may have rolled back the group's whole transaction
            }
            membership.endWrite(keep);
        } catch (SQLException | RuntimeException endFailure) {
            failure.addSuppressed(endFailure);
        }
    }

    /**
     * Runs the write in a transaction on the lease's connection, then the auto-commit writes
     * waiting for the lane in it ({@link WriteBatch}), and commits it: alone, or as their group. A
     * failed write commits what SQLite kept of it, as auto-commit mode would.
     */
    private <T> T writeOpeningGroup(LeasedStatement<?> statement, SqlCall<T> call) throws SQLException {
        try {
            SqliteTransactionControl.beginDeferred(lease.delegate); // SQLite's write lock goes with the lane, as for a JDBC transaction
            lease.delegate.setAutoCommit(false); // sqlite-jdbc begins, as a JDBC transaction's owner would have
        } catch (SQLException e) {
            restoreAutoCommit(e); // the driver turns its flag before its BEGIN
            throw e;
        }
        CountDownLatch ended = new CountDownLatch(1);
        opened = ended;
        try {
            T result;
            try {
                result = writeThenCommit(statement, call);
            } catch (SQLException | RuntimeException | Error e) {
                endTransaction(false, e);
                throw e;
            }
            endTransaction(true, null);
            return result;
        } finally {
            opened = null;
            ended.countDown();
        }
    }

    /** The write, then the writes waiting for the lane, in the transaction; then its {@code COMMIT}. */
    private <T> T writeThenCommit(LeasedStatement<?> statement, SqlCall<T> call) throws SQLException {
        T result;
        try {
            result = call.call();
        } catch (SQLException | RuntimeException e) {
            finishAlone(e);
            throw e;
        }
        statement.ranElsewhere(GroupedResults.ranHere(statement.delegate)); // before others write here
        WriteBatch batch = owner.groupCommit().batchFor(lease);
        if (batch != null && runQueuedWrites(batch)) {
            wroteInGroup = true;
            batch.commit(owner);
        } else {
            commitAlone();
        }
        return result;
    }

    /**
     * Puts the lease's connection back in auto-commit mode once the transaction has ended:
     * {@code committed}, or not, with {@code failure}. Not committed, whatever SQLite may still have
     * open is rolled back first, so that nothing of a failed group is committed by the switch; when
     * even that fails, the connection is closed (the lease then fails, and its connection is
     * replaced). Committed, a failure here is not the write's: the connection was closed
     * meanwhile (an abort), or its next transaction did not begin.
     */
    private void endTransaction(boolean committed, Throwable failure) {
        Connection own = lease.delegate;
        if (!committed) {
            try {
                SqliteTransactionControl.rollback(own);
                SqliteTransactionControl.beginAsTheDriverWould(own); // the empty transaction the switch commits
            } catch (SQLException | RuntimeException e) {
                failure.addSuppressed(e);
                closeBroken(own, failure);
                return;
            }
        }
        try {
            own.setAutoCommit(true); // commits the transaction sqlite-jdbc began after the COMMIT: empty
        } catch (SQLException | RuntimeException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            } else {
                log.debug("An auto-commit write's connection did not return to auto-commit mode after its commit: {}",
                        e.toString());
            }
        }
    }

    /** Closes a connection whose transaction could not be rolled back: switching it back would commit it. */
    private static void closeBroken(Connection own, Throwable failure) {
        try {
            own.close();
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** Runs the writes waiting for the lane in {@code batch}; whether any ran. A group that cannot go on still ends. */
    private boolean runQueuedWrites(WriteBatch batch) {
        try {
            return batch.runQueuedWrites();
        } catch (RuntimeException | Error e) {
            batch.abandon(e);
            try {
                batch.commit(owner); // wakes the writes it took, which fail
            } catch (SQLException | RuntimeException | Error groupFailure) {
                e.addSuppressed(groupFailure);
            }
            throw e;
        }
    }

    /** Puts sqlite-jdbc back in auto-commit mode after a failed {@code BEGIN}, whatever SQLite has open. */
    private void restoreAutoCommit(SQLException cause) {
        try {
            SqliteTransactionControl.rollback(lease.delegate);
            SqliteTransactionControl.beginAsTheDriverWould(lease.delegate);
            lease.delegate.setAutoCommit(true);
        } catch (SQLException e) {
            cause.addSuppressed(e);
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
