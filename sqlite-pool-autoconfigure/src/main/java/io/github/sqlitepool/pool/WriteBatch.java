package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;


/**
 * A commit group of auto-commit writes run by one thread. An auto-commit write that holds the
 * lane while others wait for it ran in a transaction on its own connection
 * ({@link GroupOpeningWrite}); its thread then takes the waiting writes from the lane's queue and
 * runs each itself, in a savepoint, on a statement made like the caller's ({@link GroupedWrite}),
 * commits once, and wakes their threads, which return what their write did. No thread waits for
 * another to be scheduled while the lane is held: a hand-off of the lane to each member's thread
 * cost more than the write itself (docs/benchmarks/group-commit.md, "Auto-commit writes").
 *
 * <p>Each write keeps its own outcome: one that fails is rolled back to its savepoint (what SQLite
 * kept of it, as with {@code OR FAIL}, stays, as auto-commit mode commits it), unless SQLite
 * rolled back the whole transaction, and then every write of the group fails, as when the
 * {@code COMMIT} fails.
 */
final class WriteBatch {

    private final GroupCommit groupCommit;

    /** The lease whose write opened the group and holds the lane. */
    private final ConnectionLease holder;

    private final CommitGroup group;

    private final List<QueuedWrite<?>> taken = new ArrayList<>();

    WriteBatch(GroupCommit groupCommit, ConnectionLease holder, CommitGroup group) {
        this.groupCommit = groupCommit;
        this.holder = holder;
        this.group = group;
    }

    /**
     * Runs the auto-commit writes waiting for the lane, the longest waiting first, until none waits
     * or the group is at its bounds (or SQLite rolled it back, or the holder's lease was ended
     * from another thread); whether any ran. Only writes that wait now join: a group never waits
     * for a writer to come.
     */
    boolean runQueuedWrites() {
        while (group.lostBy() == null && !groupCommit.full(group) && !holder.isClosed()) {
            QueuedWrite<?> next = groupCommit.takeQueuedWrite(holder, group);
            if (next == null) {
                break;
            }
            taken.add(next);
            group.tookQueuedWrite();
            run(next);
        }
        return !taken.isEmpty();
    }

    private <T> void run(QueuedWrite<T> write) {
        Connection connection = group.connection().raw();
        try {
            CommitGroup.openMemberSavepoint(connection);
        } catch (SQLException e) {
            write.failed(e);
            abandon(e); // the connection fails outside any statement (closed by an abort): nothing of the group can stand
            return;
        }
        T result;
        try {
            result = GroupedWrite.runOn(write.statement, group.connection(), write.sql, write.boundValues, write.call);
        } catch (SQLException e) {
            write.failed(e);
            if (!loseIfRolledBack(connection, e)) {
                endSavepoint(connection, true, e); // what SQLite kept of it stays, as auto-commit mode commits it
            }
            return;
        } catch (RuntimeException | Error e) {
            write.failed(e);
            endSavepoint(connection, false, e); // the driver's state is not known: its part is rolled back
            return;
        }
        try {
            CommitGroup.endMemberSavepoint(connection, true);
            write.ran(result);
        } catch (SQLException e) {
            write.failed(e); // its part must leave the group, or take the group down with it
            endSavepoint(connection, false, e);
        }
    }

    /** Releases the write's savepoint ({@code keep}) or rolls back to it; when that fails too, the group is lost. */
    private void endSavepoint(Connection connection, boolean keep, Throwable cause) {
        try {
            CommitGroup.endMemberSavepoint(connection, keep);
        } catch (SQLException e) {
            cause.addSuppressed(e);
            abandon(e);
        }
    }

    /**
     * After a write's error: whether SQLite rolled back the group's whole transaction
     * ({@code INSERT OR ROLLBACK} in a trigger, {@code SQLITE_FULL}); the group is lost then.
     */
    private boolean loseIfRolledBack(Connection connection, SQLException cause) {
        try {
            if (SqliteTransactionControl.inTransaction(connection)) {
                return false;
            }
            group.lost(cause);
        } catch (SQLException e) {
            cause.addSuppressed(e);
            abandon(e);
        }
        return true;
    }

    /**
     * The group cannot go on (its connection failed, or its holder's thread did): its transaction is
     * rolled back, so that nothing of it is committed, and every write of it that has not failed
     * with an error of its own fails with the group's ({@code cause}).
     */
    void abandon(Throwable cause) {
        SQLException failure = cause instanceof SQLException sql ? sql
                : new SQLException("a group of auto-commit writes could not go on: " + cause, cause);
        try {
            SqliteTransactionControl.rollback(group.connection().raw());
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        group.lost(failure);
    }

    /**
     * Commits the group (or, lost, puts its connection back in the transaction sqlite-jdbc believes
     * open), lets the lane go through {@code owner}, then publishes the group's outcome and wakes
     * the threads of its writes: a woken thread may take the core from this one, and the next
     * writer need not wait for that.
     *
     * @throws SQLException when the group did not commit: nothing of it was
     */
    void commit(LeaseOwner owner) throws SQLException {
        SQLException failure = null;
        try {
            failure = group.commit(); // which turns the driver's own errors into the failure
        } catch (RuntimeException | Error e) {
            abandon(e); // whatever escaped, the writes must hear of the group's end, and nothing of it may stay
            failure = group.lostBy();
            throw e;
        } finally {
            try {
                owner.releaseWriteLane(holder, failure == null); // what sqlite-jdbc began after the COMMIT has not written
            } finally {
                group.end(failure, null);
                for (QueuedWrite<?> write : taken) {
                    LockSupport.unpark(write.thread); // parked in the lane's queue, it looks for its write's outcome
                }
            }
        }
        group.awaitCommitted();
    }
}
