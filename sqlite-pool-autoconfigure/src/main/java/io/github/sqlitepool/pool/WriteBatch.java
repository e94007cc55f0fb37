package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.SQLException;


/**
 * The auto-commit writes a commit group's holder runs itself: holding the lane, once its own part
 * of the group has run, it takes the writes waiting for the lane from its queue and runs each, in
 * a savepoint, on a statement made like the caller's ({@link GroupedWrite}); their threads wait
 * for the group's end ({@link CommitGroup#end}) and then return what their write did. No thread
 * waits for another to be scheduled while the lane is held: a hand-off of the lane to each
 * write's thread cost more than the write itself (docs/benchmarks/group-commit.md, "Auto-commit
 * writes"). The holder is an auto-commit write that held the lane while others waited
 * ({@link GroupOpeningWrite}), or a transaction whose part of a group ended ({@link GroupCommit#passOn}).
 *
 * <p>Each write keeps its own outcome: one that fails is rolled back to its savepoint (what SQLite
 * kept of it, as with {@code OR FAIL}, stays, as auto-commit mode commits it), unless SQLite
 * rolled back the whole transaction, and then every member of the group fails, as when the
 * {@code COMMIT} fails.
 */
final class WriteBatch {

    private final GroupCommit groupCommit;

    /** The lease that holds the lane for the group now. */
    private final ConnectionLease holder;

    private final CommitGroup group;

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
        boolean ran = false;
        while (group.lostBy() == null && !groupCommit.full(group) && !holder.isClosed()) {
            QueuedWrite<?> next = groupCommit.takeQueuedWrite(holder, group);
            if (next == null) {
                break;
            }
            group.took(next);
            ran = true;
            run(next);
        }
        return ran;
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

    /** The group cannot go on: {@link CommitGroup#abandon}. */
    void abandon(Throwable cause) {
        group.abandon(cause);
    }

    /**
     * Commits the group (or, lost, puts its connection back in the transaction sqlite-jdbc believes
     * open), lets the lane go through {@code owner}, then ends the group, waking the threads of its
     * writes ({@link CommitGroup#commitAndEnd}).
     *
     * @throws SQLException when the group did not commit: nothing of it was
     */
    void commit(LeaseOwner owner) throws SQLException {
        group.commitAndEnd(owner, holder, null);
        group.awaitCommitted();
    }
}
