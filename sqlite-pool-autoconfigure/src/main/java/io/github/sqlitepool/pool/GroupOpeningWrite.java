package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lease's auto-commit write that holds the lane while other auto-commit writes wait for it: it
 * runs in a transaction on the lease's own connection (sqlite-jdbc's {@code BEGIN}), then runs the
 * waiting writes in it ({@link WriteBatch}) and commits once, or commits alone when none is left
 * to run. Used by {@link AutoCommitGrouping} on the lease's thread; a thread that ends the lease
 * meanwhile waits for it ({@link #settle()}), since others' writes run on the connection.
 */
final class GroupOpeningWrite {

    private static final Logger log = LoggerFactory.getLogger(GroupOpeningWrite.class);

    private final ConnectionLease lease;

    private final LeaseOwner owner;

    /** The write's transaction while it runs, which a thread that ends the lease waits for. */
    private final RunningPart running = new RunningPart();

    /** What the lease's connection must answer for its counters once others' writes ran on it after the lease's. */
    private final OwedCounters counters;

    GroupOpeningWrite(ConnectionLease lease, LeaseOwner owner, OwedCounters counters) {
        this.lease = lease;
        this.owner = owner;
        this.counters = counters;
    }

    /**
     * Before the lease's connection is taken back by another thread: waits, however long an
     * interrupt says otherwise, until the write's transaction has ended (a group runs others'
     * writes on the connection until then).
     */
    void settle() {
        running.awaitEnd();
    }

    /**
     * Runs the write in a transaction on the lease's connection, then the auto-commit writes
     * waiting for the lane in it ({@link WriteBatch}), and commits it: alone, or as their group. A
     * failed write commits what SQLite kept of it, as auto-commit mode would.
     */
    <T> T run(LeasedStatement<?> statement, String sql, SqlCall<T> call) throws SQLException {
        running.begin();
        try {
            // published before the look, as the close sets its flag before settle() looks: one sees the other
            if (lease.isClosed()) {
                throw new SQLException("the connection was closed by another thread before its write ran",
                        SqlStates.CONNECTION_CLOSED); // its connection may be another lease's already
            }
            try {
                SqliteTransactionControl.beginDeferred(lease.delegate); // SQLite's write lock goes with the lane, as for a JDBC transaction
                lease.delegate.setAutoCommit(false); // sqlite-jdbc begins, as a JDBC transaction's owner would have
            } catch (SQLException e) {
                restoreAutoCommit(e); // the driver turns its flag before its BEGIN
                throw e;
            }
            T result;
            try {
                result = writeThenCommit(statement, sql, call);
            } catch (SQLException | RuntimeException | Error e) {
                endTransaction(false, e);
                throw e;
            }
            endTransaction(true, null);
            return result;
        } finally {
            running.end();
        }
    }

    /** The write, then the writes waiting for the lane, in the transaction; then its {@code COMMIT}. */
    private <T> T writeThenCommit(LeasedStatement<?> statement, String sql, SqlCall<T> call) throws SQLException {
        T result;
        try {
            result = call.call();
        } catch (SQLException | RuntimeException e) {
            finishAlone(e);
            throw e;
        }
        statement.ranElsewhere(GroupedResults.ranHere(statement.delegate)); // before others write here
        WriteBatch batch = owner.groupCommit().batchFor(lease);
        ConnectionCounters.Reading ownCounters = batch == null ? null : counters.beforeOthersWrite(lease.delegate);
        try {
            if (batch != null && runQueuedWrites(batch)) {
                counters.othersWroteAfter(ownCounters);
                batch.commit(owner);
            } else {
                commitAlone();
            }
        } catch (SQLException | RuntimeException | Error e) {
            counters.lostWithGroup(sql); // as alone, a failed COMMIT leaves changes() at 0: not known here
            throw e;
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
            counters.lostWithGroup(null); // some may have run here
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
        SQLException beginFailure;
        try {
            beginFailure = SqliteTransactionControl.commitThenBegin(own);
        } catch (SQLException e) {
            try {
                SqliteTransactionControl.rollback(own);
                SqliteTransactionControl.beginAsTheDriverWould(own); // what sqlite-jdbc believes open
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        }
        owner.groupCommit().committed(System.nanoTime() - start);
        if (beginFailure != null) { // committed: the switch back to auto-commit mode says more, if anything
            log.debug("After an auto-commit write's COMMIT, the next transaction could not begin: {}",
                    beginFailure.toString());
        }
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
}
