package io.github.sqlitepool.pool;

import java.sql.ResultSet;
import java.sql.SQLException;

import io.github.sqlitepool.pool.sql.SqlClassifier.SqlKind;
import io.github.sqlitepool.pool.sql.SqlStatements;

/**
 * A lease's executions in auto-commit mode and the write lane they hold: while a statement that
 * can write runs; when its execution leaves a result open ({@code INSERT ... RETURNING}), until
 * that statement is closed or executed again, since SQLite keeps the write transaction until the
 * statement is reset; and while a transaction opened in SQL ({@code BEGIN}, or {@code SAVEPOINT}
 * outside a transaction) is open, until {@code COMMIT}/{@code END}/{@code ROLLBACK} (or the
 * {@code RELEASE} of that first savepoint) succeeds. Used by {@link LeaseTransactions}, on the
 * lease's thread.
 */
final class AutoCommitLane {

    private final LeaseOwner owner;

    /** The lease, which is also the token it holds the lane with. */
    private final ConnectionLease lease;

    /** Statements whose open result keeps the lane. */
    private OpenWriteResults laneResults;

    /** Transactions opened in SQL: the one followed while {@link #inSqlTransaction}, and any others. */
    private SqlOpenedTransactions sqlTransactions;

    /** A transaction opened in SQL is open, and holds the lane. */
    private boolean inSqlTransaction;

    AutoCommitLane(LeaseOwner owner, ConnectionLease lease) {
        this.owner = owner;
        this.lease = lease;
    }

    /** Whether a transaction opened in SQL is open (and holds the lane). */
    boolean inSqlTransaction() {
        return inSqlTransaction;
    }

    /** Notes {@code sql} of {@code kind}, run without the lane, that may open a transaction. */
    void note(SqlKind kind, String sql) {
        if (SqlOpenedTransactions.mayOpenOthers(kind, sql)) {
            sqlTransactions().othersOpened();
        }
    }

    /** Made at the first SQL that opens a transaction (most leases run none). */
    private SqlOpenedTransactions sqlTransactions() {
        if (sqlTransactions == null) {
            sqlTransactions = new SqlOpenedTransactions();
        }
        return sqlTransactions;
    }

    /**
     * Runs one execution of {@code sql} ({@code null}: a batch) in auto-commit mode with the lane it
     * needs; a write may run in a commit group through {@code grouping} (null unless auto-commit
     * writes are grouped).
     */
    <T> T execute(LeasedStatement<?> statement, SqlKind kind, String sql, SqlCall<T> call, AutoCommitGrouping grouping)
            throws SQLException {
        if (inSqlTransaction) {
            T result = call.call();
            if (sqlTransactions.endedBy(kind)) {
                inSqlTransaction = false;
                sqlTransactions.ended();
                releaseIfUnused(!SqlStatements.rollsBack(sql)); // a rollback reached no storage and moves no snapshot
            }
            return result;
        }
        if (kind == SqlKind.READ || kind == SqlKind.END || kind == SqlKind.RELEASE) {
            T result = call.call();
            resultDone(statement, true); // a failure is handled by the lease, after a reset
            return result;
        }
        boolean groupable = groupable(statement, kind, sql, grouping);
        if (groupable) {
            QueuedWrite<T> queued = grouping.queue(statement, sql, call);
            boolean held;
            try {
                held = owner.acquireWriteLane(lease, queued);
            } catch (SQLException | RuntimeException | Error e) {
                grouping.dequeued();
                throw e;
            }
            if (!held) {
                return grouping.ranInGroup(queued);
            }
            grouping.dequeued();
        } else {
            owner.acquireWriteLane(lease);
        }
        boolean keep = false;
        boolean succeeded = false;
        try {
            if (kind == SqlKind.WRITE) {
                note(kind, sql); // "BEGIN; INSERT ..." or a batch may leave one open
            }
            T result = groupable ? grouping.execute(statement, sql, call) : call.call();
            succeeded = true;
            if (kind == SqlKind.BEGIN || kind == SqlKind.BEGIN_WRITE || kind == SqlKind.SAVEPOINT) {
                inSqlTransaction = true;
                sqlTransactions().opened(kind);
                keep = true;
            } else if (result instanceof ResultSet || Boolean.TRUE.equals(result)) {
                if (laneResults == null) {
                    laneResults = new OpenWriteResults();
                }
                laneResults.keep(statement);
                keep = true;
            }
            return result;
        } finally {
            if (!keep) {
                if (succeeded) {
                    resultDone(statement, true); // a failure is handled by the lease, after a reset
                }
                releaseIfUnused(succeeded);
            }
        }
    }

    /**
     * Whether {@code sql}, of {@code kind}, run by {@code statement} in auto-commit mode, may take
     * part in a group through {@code grouping} (null: auto-commit writes are not grouped): a single
     * write, with no result of the lease keeping the lane, and no transaction opened in SQL.
     */
    boolean groupable(LeasedStatement<?> statement, SqlKind kind, String sql, AutoCommitGrouping grouping) {
        return grouping != null && kind == SqlKind.WRITE
                && (laneResults == null || laneResults.isEmpty()) && !mayHaveOpenTransaction()
                && grouping.mayGroup(statement, sql);
    }

    /**
     * The statement's earlier result, if it kept the lane, is gone (closed or replaced); the lane
     * goes if nothing else needs it and the lease is {@code inAutoCommitMode} still.
     */
    void resultDone(LeasedStatement<?> statement, boolean inAutoCommitMode) {
        if (laneResults != null && laneResults.remove(statement) && inAutoCommitMode) {
            releaseIfUnused(true);
        }
    }

    /** Releases the lane unless a transaction opened in SQL or an open write result needs it. */
    private void releaseIfUnused(boolean committed) {
        if (!inSqlTransaction && (laneResults == null || laneResults.isEmpty())) {
            owner.releaseWriteLane(lease, committed);
        }
    }

    /** The transaction SQLite has open is being rolled back behind the driver's back. */
    void sqlTransactionRolledBack() {
        inSqlTransaction = false;
        if (sqlTransactions != null) {
            sqlTransactions.ended();
        }
    }

    /** Whether SQL may have left a transaction open that sqlite-jdbc does not know of. */
    boolean mayHaveOpenTransaction() {
        return inSqlTransaction || (sqlTransactions != null && sqlTransactions.othersPossible());
    }

    /**
     * The lease ends: forgets the transactions SQL opened (rolled back by then). Once made, the
     * object stays: the lease may end from another thread while its own thread still looks at it.
     */
    void clear() {
        inSqlTransaction = false;
        if (sqlTransactions != null) {
            sqlTransactions.clear();
        }
    }

    /**
     * The lease lets the lane go, in whatever state it was left; a write result that kept the lane
     * was committed when its statement was closed.
     *
     * @return whether a result kept the lane
     */
    boolean drop() {
        inSqlTransaction = false;
        return laneResults != null && laneResults.clear();
    }
}
