package io.github.sqlitepool.pool;

import java.sql.SQLException;

/**
 * A lease's auto-commit writes in group commits ({@code group-commit.auto-commit-writes}): a write
 * waits for the lane as a {@link QueuedWrite}, which the holder of a group may take and run on a
 * statement made like the caller's on the group's connection ({@link WriteBatch},
 * {@link GroupedWrite}); or, given the lane while other writes wait, runs in a transaction on its
 * own connection that runs them too ({@link GroupOpeningWrite}); or runs alone. Made at the
 * lease's first write when auto-commit writes are grouped; used by {@link AutoCommitLane} on the
 * lease's thread, through the lease's {@link GroupMembership}.
 */
final class AutoCommitGrouping {

    private final ConnectionLease lease;

    private final LeaseOwner owner;

    private final GroupMembership membership;

    /** What the lease's connection must answer for its counters once a write of the lease ran in a group. */
    private final OwedCounters counters;

    /** The lease's write while it waits for the lane, or for the group that took it; read by a thread that ends the lease. */
    private volatile QueuedWrite<?> queued;

    /** The lease's write while it holds the lane and other writes wait: in a transaction that may open a group. */
    private final GroupOpeningWrite opening;

    AutoCommitGrouping(ConnectionLease lease, LeaseOwner owner, GroupMembership membership) {
        this.lease = lease;
        this.owner = owner;
        this.membership = membership;
        this.counters = membership.counters;
        this.opening = new GroupOpeningWrite(lease, owner, counters);
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
        QueuedWrite<T> write = new QueuedWrite<>(statement, sql, call, counters.callersRowId());
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
        T result;
        try {
            result = write.outcome();
        } catch (SQLException | RuntimeException | Error e) {
            queued = null;
            if (write.failedInSqlite()) {
                counters.failedElsewhere(write.sql, write.changesAfterFailure());
            } else {
                // the group did not commit, or the driver failed after running it (executeQuery on an
                // INSERT runs it, then throws): what it left is not known
                counters.lostWithGroup(write.sql);
            }
            throw e;
        }
        queued = null;
        counters.ranElsewhere(write.statement.groupedResults(), write.sql); // what it did there, this connection did not
        return result;
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
        opening.settle();
    }

    /**
     * Runs the write of {@code sql}, which holds the lane, on the lease's own connection (where what
     * the lease's counters owe is set first, {@link OwedCounters}): in a transaction that runs the
     * writes waiting for the lane too, when some wait ({@link GroupOpeningWrite}), or alone (timed:
     * groups form only while commits are slow).
     */
    <T> T execute(LeasedStatement<?> statement, String sql, SqlCall<T> call) throws SQLException {
        boolean owing = counters.owing();
        long rowIdBefore = 0;
        if (owing) {
            counters.beforeWritingHere(lease.connection()); // it runs here: SQLite keeps them right from then on
            rowIdBefore = counters.rowIdBeforeWritingHere(lease.delegate);
        }
        if (owner.groupCommit().worthOpening(true)) { // writes wait, and commits are slow enough to group
            return opening.run(statement, sql, call);
        }
        T result = runAlone(call);
        if (owing) {
            counters.ranHere(lease.delegate, rowIdBefore);
        }
        return result;
    }

    /** Runs the write alone, timed as a commit when groups form only while commits are slow. */
    private <T> T runAlone(SqlCall<T> call) throws SQLException {
        GroupCommit groups = owner.groupCommit();
        if (!groups.timesCommits()) {
            return call.call();
        }
        long start = System.nanoTime();
        T result = call.call();
        groups.committed(System.nanoTime() - start); // its commit took at most that
        return result;
    }
}
