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

    /** A row id not read: {@link #groupRowId} reads it. */
    private static final long ROW_ID_NOT_READ = Long.MIN_VALUE;

    /** The group's connection's last row id as this batch last knew it, or {@link #ROW_ID_NOT_READ}. */
    private long groupRowId = ROW_ID_NOT_READ;

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
        long changesBefore = changesOf(connection);
        T result;
        try {
            result = GroupedWrite.runOn(write.statement, group.connection(), write.sql, write.boundValues,
                    write.callersRowId, groupRowId(connection), write.call);
        } catch (SQLException e) {
            long changesAfter = changesOf(connection);
            // unmoved: it may have failed before SQLite ran it, which leaves the counters as they were
            write.failed(e, changesAfter == changesBefore ? -1 : changesAfter);
            groupRowId = ROW_ID_NOT_READ; // a failed insert may have moved it
            if (!loseIfRolledBack(connection, e)) {
                endSavepoint(connection, true, e); // what SQLite kept of it stays, as auto-commit mode commits it
            }
            return;
        } catch (RuntimeException | Error e) {
            write.failed(e);
            groupRowId = ROW_ID_NOT_READ; // it may have inserted before it failed
            endSavepoint(connection, false, e); // the driver's state is not known: its part is rolled back
            return;
        }
        GroupedResults left = write.statement.groupedResults();
        if (left != null && left.inserted()) {
            groupRowId = left.rowId();
        } else if (CounterSql.mayInsert(write.sql)) {
            groupRowId = ROW_ID_NOT_READ; // an insert whose row id was not told: read again before the next
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

    /**
     * The group's connection's {@code last_insert_rowid()} before the next write runs: read once per
     * batch, then followed from the row ids the writes inserted, so that a write whose generated key
     * is that same id is not taken to have inserted it ({@link GroupedResults#inserted()}).
     */
    private long groupRowId(Connection connection) {
        if (groupRowId == ROW_ID_NOT_READ) {
            try {
                groupRowId = ConnectionCounters.lastInsertRowId(connection);
            } catch (SQLException | RuntimeException e) {
                return ROW_ID_NOT_READ;
            }
        }
        return groupRowId;
    }

    /** SQLite's {@code changes()} on {@code connection} now; -1 when it cannot be read. */
    private static long changesOf(Connection connection) {
        try {
            return ConnectionCounters.database(connection).changes();
        } catch (SQLException | RuntimeException e) {
            return -1;
        }
    }
}
