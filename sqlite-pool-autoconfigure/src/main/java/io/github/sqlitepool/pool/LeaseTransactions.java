package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;

import io.github.sqlitepool.pool.sql.SqlClassifier;
import io.github.sqlitepool.pool.sql.SqlClassifier.SqlKind;

/**
 * The transactions of one {@link ConnectionLease} and the write lane they hold: every execution
 * and every transaction boundary of the lease comes here, after the lease has checked it is open,
 * so that the pool's write discipline is enforced without the caller's code knowing it. A state
 * machine ({@link State}). Used by the lease's owning thread only (an abort from another thread
 * only lets the lane go, after the lease is closed, {@link #dropWriteLane()}).
 *
 * <p>Read-only mode is implemented with {@code PRAGMA query_only}: sqlite-jdbc can only set
 * read-only when a connection is opened, which a pool cannot do per lease.
 *
 * <p>The lane (when the owner has one) is held:
 * <ul>
 * <li>in a JDBC transaction ({@code setAutoCommit(false)}, hence Spring's {@code @Transactional}),
 * which always begins deferred ({@link State#BEGUN}), holding the lane revocably from its begin
 * (before any lock the code inside the transaction takes) and firmly from its first statement that
 * can write ({@link SqlClassifier}) until {@code commit()}, {@code rollback()} or
 * {@code setAutoCommit(true)} ({@link State#WRITING}). A transaction whose first statement reads
 * keeps the revocable hold, or takes it again at that read ({@link State#READ}), so that no writer
 * of the pool commits between its snapshot and its first write; it confirms the hold before that
 * write. If the hold was revoked meanwhile (it kept a waiter out past the lane's bound, or its own
 * thread wrote through another connection), the write takes the lane again, and fails with
 * SQLState {@code 40001} when some transaction committed after the snapshot, since SQLite would
 * refuse the upgrade;</li>
 * <li>in auto-commit mode, while a statement that can write runs; when the execution leaves a
 * result open ({@code INSERT ... RETURNING}), until that statement is closed or executed again,
 * since SQLite keeps the write transaction until the statement is reset;</li>
 * <li>while a transaction opened in SQL in auto-commit mode ({@code BEGIN}, or {@code SAVEPOINT}
 * outside a transaction) is open, until {@code COMMIT}/{@code END}/{@code ROLLBACK} (or the
 * {@code RELEASE} of that first savepoint) succeeds;</li>
 * </ul>
 * and in every case at most until the lease is closed or aborted. Read-only leases never take it.
 */
final class LeaseTransactions {

    /** Where the lease is, as far as transactions and the lane go. */
    enum State {
        /** Auto-commit mode, no transaction: each statement that can write holds the lane while it runs. */
        AUTO_COMMIT,
        /** Auto-commit mode, a transaction opened in SQL ({@code BEGIN}, {@code SAVEPOINT}): the lane is held. */
        SQL_TRANSACTION,
        /** A JDBC transaction that has run nothing yet (or only savepoints): no snapshot; the lane held revocably, or not. */
        BEGUN,
        /** A JDBC transaction that has read and not written: its snapshot is taken, the lane held revocably. */
        READ,
        /** A JDBC transaction that may have written: the lane is held until it ends. */
        WRITING,
        /** A JDBC transaction that SQLite rolled back by itself after an error; only a rollback leaves it. */
        ABORTED
    }

    private final LeaseOwner owner;

    /** The lease, which is also the token it holds the lane with. */
    private final ConnectionLease lease;

    private final PooledConnection entry;

    private final Connection delegate;

    private final boolean laneEnabled;

    /** The lease's open statements: a pending one keeps its snapshot past a commit. */
    private final LeaseResources resources;

    private State state = State.AUTO_COMMIT;

    private boolean readOnly;

    /** The lane's commit count when the snapshot of the transaction in {@link State#READ} began. */
    private long snapshotCommits;

    /** Statements whose open result keeps the lane in auto-commit mode; usually null or empty. */
    private List<LeasedStatement<?>> laneResults;

    /** In {@link State#ABORTED}: the error after which SQLite rolled the transaction back. */
    private SQLException abortedBy;

    /** Savepoints open in an SQL transaction opened by {@code SAVEPOINT}; 0 when opened by {@code BEGIN}. */
    private int savepointDepth;

    /** Set when SQL ran that may have opened a transaction this lease does not follow. */
    private boolean transactionInSqlPossible;

    LeaseTransactions(ConnectionLease lease, LeaseOwner owner, Connection delegate, LeaseResources resources) {
        this.owner = owner;
        this.lease = lease;
        this.entry = lease.entry;
        this.delegate = delegate;
        this.resources = resources;
        this.laneEnabled = owner.writeLaneEnabled();
    }

    boolean isReadOnly() {
        return readOnly;
    }

    private boolean inJdbcTransaction() {
        return state == State.BEGUN || state == State.READ || state == State.WRITING || state == State.ABORTED;
    }

    // --- statements ---------------------------------------------------------------------------

    /**
     * Runs one execution of {@code sql} on this lease; {@code sql} is null when the text is
     * not known (a batch of different statements).
     */
    <T> T execute(LeasedStatement<?> statement, String sql, SqlCall<T> call) throws SQLException {
        statement.endResults();
        T result;
        try {
            result = route(statement, sql, call);
        } catch (SQLException | RuntimeException e) {
            owner.statementFailed(e);
            // the driver may have failed before resetting the statement's earlier result (an
            // INSERT ... RETURNING that still holds SQLite's write lock): reset it, so that the
            // lane kept for that result can go
            statement.resetAfterFailure(e);
            resultDone(statement);
            throw e;
        }
        statement.executed(result instanceof ResultSet || Boolean.TRUE.equals(result));
        return result;
    }

    /** Runs one execution of {@code sql} ({@code null}: a batch) with the lane it needs. */
    private <T> T route(LeasedStatement<?> statement, String sql, SqlCall<T> call) throws SQLException {
        if (readOnly) {
            SqlKind kind = SqlClassifier.classify(sql);
            refuseWrite(kind, sql);
            noteTransactionInSql(kind, sql);
            return call.call();
        }
        if (inJdbcTransaction()) {
            return executeInJdbcTransaction(sql, call);
        }
        if (!laneEnabled) {
            noteTransactionInSql(SqlClassifier.classify(sql), sql);
            return call.call();
        }
        if (state == State.SQL_TRANSACTION) {
            return executeInSqlTransaction(sql, call);
        }
        SqlKind kind = SqlClassifier.classify(sql);
        if (kind == SqlKind.READ || kind == SqlKind.END || kind == SqlKind.RELEASE) {
            T result = call.call();
            resultDone(statement); // a failure is handled by the lease, after a reset
            return result;
        }
        owner.acquireWriteLane(lease);
        boolean keep = false;
        boolean succeeded = false;
        try {
            if (kind == SqlKind.WRITE) {
                noteTransactionInSql(kind, sql); // "BEGIN; INSERT ..." or a batch may leave one open
            }
            T result = call.call();
            succeeded = true;
            if (kind == SqlKind.BEGIN || kind == SqlKind.BEGIN_WRITE || kind == SqlKind.SAVEPOINT) {
                state = State.SQL_TRANSACTION;
                savepointDepth = kind == SqlKind.SAVEPOINT ? 1 : 0;
                keep = true;
            } else if (result instanceof ResultSet || Boolean.TRUE.equals(result)) {
                keepLaneFor(statement);
                keep = true;
            }
            return result;
        } finally {
            if (!keep) {
                if (succeeded) {
                    resultDone(statement); // a failure is handled by the lease, after a reset
                }
                releaseLaneIfUnused(succeeded);
            }
        }
    }

    private <T> T executeInJdbcTransaction(String sql, SqlCall<T> call) throws SQLException {
        if (state == State.ABORTED) {
            throw transactionAborted("nothing was run: " + (sql == null ? "a batch" : sql));
        }
        if (laneEnabled && state != State.WRITING) {
            SqlKind kind = SqlClassifier.classify(sql);
            if (kind == SqlKind.WRITE || kind == SqlKind.BEGIN_WRITE) {
                beginWriting(sql);
            } else if (kind == SqlKind.READ && state == State.BEGUN) {
                beginReading();
            }
        }
        try {
            return call.call();
        } catch (SQLException e) {
            noteAutomaticRollback(e);
            throw e;
        }
    }

    /** The transaction's first statement reads: its snapshot begins, under the lane if it can be had. */
    private void beginReading() throws SQLException {
        if (!owner.holdsWriteLane(lease)) { // taken at the begin, unless revoked since or not had then
            owner.acquireWriteLaneRevocably(lease); // false: not had within the read wait, or its thread writes elsewhere
        }
        snapshotCommits = owner.writeLaneCommits();
        state = State.READ;
    }

    /**
     * The transaction is about to write: from {@link State#BEGUN} it takes the lane; from
     * {@link State#READ} it confirms its revocable hold, or, revoked, takes the lane again and
     * checks that nobody committed since its snapshot.
     */
    private void beginWriting(String sql) throws SQLException {
        if (state == State.BEGUN) {
            if (!owner.confirmWriteLane(lease)) { // no snapshot yet: a revoked begin simply waits its turn
                owner.acquireWriteLane(lease);
            }
            state = State.WRITING;
            return;
        }
        if (owner.confirmWriteLane(lease)) {
            state = State.WRITING;
            return;
        }
        owner.acquireWriteLane(lease);
        long commits = owner.writeLaneCommits();
        if (commits != snapshotCommits) {
            owner.releaseWriteLane(lease, false);
            owner.serializationFailure();
            throw new SQLException("write lane of pool '" + owner.name() + "': this transaction read first and lost"
                    + " the lane before its first write (another writer waited longer than the lane's bound, or"
                    + " its own thread wrote through another connection), and " + (commits - snapshotCommits)
                    + " transaction(s) committed since its first read, so SQLite would refuse to let it write"
                    + " (SQLITE_BUSY_SNAPSHOT). Nothing was run: " + (sql == null ? "a batch" : sql)
                    + ". Roll the transaction back and retry it; to avoid this, write sooner after the first"
                    + " read, or mark transactions that only read read-only", SqlStates.SERIALIZATION_FAILURE);
        }
        state = State.WRITING;
    }

    /**
     * SQLite rolls a transaction back by itself on some errors ({@code SQLITE_FULL},
     * {@code SQLITE_IOERR}, {@code SQLITE_BUSY}, {@code SQLITE_NOMEM}), while sqlite-jdbc still
     * reports the transaction open; the statements that followed would then each commit on
     * their own. After such an error this checks whether SQLite is still in a transaction.
     */
    private void noteAutomaticRollback(SQLException e) throws SQLException {
        if (SqliteTransactionControl.mayHaveRolledBack(e) && !SqliteTransactionControl.inTransaction(delegate)) {
            abortedBy = e;
            state = State.ABORTED;
        }
    }

    private SQLException transactionAborted(String what) {
        return new SQLException("the transaction was already rolled back by SQLite after " + abortedBy.getMessage()
                + "; call rollback() to begin again; " + what, abortedBy.getSQLState(), abortedBy);
    }

    /**
     * Remembers that {@code sql} may open a transaction that the lease does not follow
     * statement by statement (lane off, read-only, several statements in one text, a batch), so
     * that {@link #reset()} checks for one. Leases that never run such SQL pay nothing on return.
     */
    private void noteTransactionInSql(SqlKind kind, String sql) {
        if (transactionInSqlPossible) {
            return;
        }
        transactionInSqlPossible = kind == SqlKind.BEGIN || kind == SqlKind.BEGIN_WRITE || kind == SqlKind.SAVEPOINT
                || sql == null || (kind == SqlKind.WRITE && sql.indexOf(';') >= 0);
    }

    private static void refuseWrite(SqlKind kind, String sql) throws SQLException {
        if (kind == SqlKind.WRITE || kind == SqlKind.BEGIN_WRITE) {
            throw new SQLException("connection is read-only (Connection.setReadOnly(true), for example "
                    + "@Transactional(readOnly = true)) and this statement can write; nothing was run: "
                    + (sql == null ? "a batch" : sql), SqlStates.READ_ONLY_TRANSACTION);
        }
    }

    private <T> T executeInSqlTransaction(String sql, SqlCall<T> call) throws SQLException {
        T result = call.call();
        switch (SqlClassifier.classify(sql)) {
            case SAVEPOINT:
                if (savepointDepth > 0) {
                    savepointDepth++;
                }
                break;
            case RELEASE:
                // RELEASE of the first savepoint ends the transaction; releasing an outer one
                // by name is not followed, and the lane then stays until COMMIT or the lease ends
                if (savepointDepth > 0 && --savepointDepth == 0) {
                    endSqlTransaction();
                }
                break;
            case END:
                endSqlTransaction();
                break;
            default:
                break;
        }
        return result;
    }

    private void endSqlTransaction() {
        state = State.AUTO_COMMIT;
        savepointDepth = 0;
        releaseLaneIfUnused(true); // a COMMIT or a ROLLBACK: counted as a commit, which is never wrong
    }

    private void keepLaneFor(LeasedStatement<?> statement) {
        if (laneResults == null) {
            laneResults = new ArrayList<>(2);
        }
        if (!laneResults.contains(statement)) {
            laneResults.add(statement);
        }
    }

    /** The statement's earlier result, if it kept the lane, is gone (closed or replaced). */
    void resultDone(LeasedStatement<?> statement) {
        if (laneResults != null && laneResults.remove(statement)) {
            releaseLaneIfUnused(true);
        }
    }

    /** In auto-commit mode: releases the lane unless an SQL transaction or an open write result needs it. */
    private void releaseLaneIfUnused(boolean committed) {
        if (laneEnabled && state == State.AUTO_COMMIT && (laneResults == null || laneResults.isEmpty())) {
            owner.releaseWriteLane(lease, committed);
        }
    }

    // --- transaction boundaries --------------------------------------------------------------

    /**
     * Turning auto-commit off begins a deferred transaction, lane-free: its first statement decides
     * (see the class comment). Turning it back on commits and releases the lane; if that commit
     * fails, the transaction is rolled back so that the lane is not released while SQLite still
     * holds the write lock.
     */
    void setAutoCommit(boolean autoCommit) throws SQLException {
        if (autoCommit != (state == State.AUTO_COMMIT || state == State.SQL_TRANSACTION)) {
            if (!autoCommit) {
                beginTransaction();
            } else {
                endTransaction();
            }
            return;
        }
        delegate.setAutoCommit(autoCommit);
    }

    private void beginTransaction() throws SQLException {
        boolean held = holdLaneAtBegin();
        try {
            delegate.setAutoCommit(false);
        } catch (SQLException | RuntimeException e) {
            if (held) {
                owner.releaseWriteLane(lease, false);
            }
            throw e;
        }
        begun();
    }

    /**
     * A JDBC transaction that may write takes the lane revocably as it begins, before the code
     * running in it takes any lock of its own: a lock taken inside a transaction (Spring Batch's
     * execution-context DAO lock, a {@code synchronized} service method) then always comes after
     * the lane, in every transaction, and two transactions cannot each wait for what the other
     * holds. The hold costs others nothing until they want to write, and then at most the lane's
     * revocation bound; a hold revoked before the first statement costs its transaction nothing,
     * since it has no snapshot yet. Also sets the deferred {@code BEGIN} (a {@code BEGIN IMMEDIATE}
     * would take SQLite's write lock without the lane).
     *
     * @return whether the lane is held now
     */
    private boolean holdLaneAtBegin() throws SQLException {
        if (!laneEnabled) {
            return false;
        }
        SqliteTransactionControl.beginDeferred(delegate);
        return !readOnly && owner.acquireWriteLaneRevocably(lease);
    }

    /** A JDBC transaction is open: the pool may lease this thread a reserve connection beside it. */
    private void begun() {
        state = State.BEGUN;
        entry.transactionThread(Thread.currentThread());
    }

    private void endTransaction() throws SQLException {
        if (state == State.ABORTED) {
            // nothing to commit: end the transaction sqlite-jdbc believes open, then report
            SQLException aborted = transactionAborted("nothing was committed");
            try {
                rollbackJdbcTransaction();
                delegate.setAutoCommit(true);
            } finally {
                toAutoCommit(false);
            }
            throw aborted;
        }
        boolean committed = false;
        try {
            delegate.setAutoCommit(true);
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
        boolean wrote = state == State.WRITING;
        state = State.AUTO_COMMIT;
        entry.transactionThread(null);
        abortedBy = null;
        if (laneEnabled) {
            owner.releaseWriteLane(lease, committed && wrote);
        }
    }

    /** Rolls back whatever transaction SQLite has open, behind the driver's back. */
    private void rollbackSqlTransaction() throws SQLException {
        savepointDepth = 0;
        SqliteTransactionControl.rollback(delegate);
    }

    /**
     * Commits; refused, with the error that caused it, when SQLite already rolled the transaction
     * back. The lane is let go; a failed {@code COMMIT} (a deferred foreign key, for example)
     * leaves the transaction open, and it keeps the lane.
     */
    void commit() throws SQLException {
        if (state == State.ABORTED) {
            throw transactionAborted("nothing was committed");
        }
        if (!inJdbcTransaction()) {
            delegate.commit(); // sqlite-jdbc's own error in auto-commit mode
            return;
        }
        try {
            delegate.commit();
        } catch (SQLException e) {
            owner.statementFailed(e);
            if (state == State.WRITING) {
                noteAutomaticRollback(e); // unless SQLite itself rolled it back (SQLITE_FULL, ...)
            }
            throw e;
        }
        transactionEnded(true);
    }

    /**
     * Rolls the JDBC transaction back. When SQLite has already rolled it back by itself
     * ({@code SQLITE_FULL}, an I/O error, ... end the transaction), that counts as rolled back:
     * the caller sees the error that ended the transaction, not a failing rollback.
     */
    void rollback() throws SQLException {
        rollbackJdbcTransaction();
        if (inJdbcTransaction()) {
            transactionEnded(false);
        }
    }

    /**
     * A JDBC transaction ended and sqlite-jdbc began the next one (deferred): the lane goes. A
     * statement still pending keeps the connection's snapshot into the next transaction, which
     * then starts as one that has read.
     */
    private void transactionEnded(boolean committed) {
        boolean wrote = state == State.WRITING;
        long commits = laneEnabled ? owner.releaseWriteLane(lease, committed && wrote) : 0L;
        abortedBy = null;
        if (laneEnabled && !readOnly && !resources.noStatements()) {
            if (state != State.READ) {
                snapshotCommits = commits; // it held the lane, or had no snapshot: nobody committed in between
            }
            state = State.READ;
        } else {
            state = State.BEGUN;
        }
    }

    private void rollbackJdbcTransaction() throws SQLException {
        try {
            delegate.rollback();
            abortedBy = null;
        } catch (SQLException e) {
            if (!SqliteTransactionControl.noTransactionActive(e)) {
                throw e;
            }
            // sqlite-jdbc's rollback() ends with the BEGIN of the next transaction, which it
            // skipped because its ROLLBACK failed: run it so the lease stays in a transaction
            SqliteTransactionControl.beginAsTheDriverWould(delegate);
            abortedBy = null;
        }
    }

    /**
     * A JDBC savepoint. In auto-commit mode sqlite-jdbc turns auto-commit off and opens the
     * transaction with {@code SAVEPOINT}: a deferred transaction that has run nothing, as after
     * {@code setAutoCommit(false)}. Inside a transaction a savepoint changes nothing for the lane.
     */
    Savepoint savepoint(SqlCall<Savepoint> call) throws SQLException {
        if (state != State.AUTO_COMMIT) {
            return call.call();
        }
        boolean held = holdLaneAtBegin(); // also for the transactions sqlite-jdbc begins after a commit
        Savepoint savepoint;
        try {
            savepoint = call.call();
        } catch (SQLException | RuntimeException e) {
            if (held) {
                owner.releaseWriteLane(lease, false);
            }
            throw e;
        }
        if (!delegate.getAutoCommit()) {
            begun();
        } else if (held) {
            owner.releaseWriteLane(lease, false);
        }
        return savepoint;
    }

    void setReadOnly(boolean readOnly) throws SQLException {
        if (readOnly == this.readOnly) {
            return;
        }
        if (state != State.AUTO_COMMIT) {
            throw new SQLException("read-only cannot change inside a transaction; set it before setAutoCommit(false)");
        }
        SqliteTransactionControl.queryOnly(delegate, readOnly);
        this.readOnly = readOnly;
    }

    // --- life cycle ---------------------------------------------------------------------------

    /**
     * Puts the connection's transaction state back as a new lease expects (the lease's statements
     * are closed already): an open transaction rolled back, auto-commit on, read-only off.
     */
    void reset() throws SQLException {
        entry.transactionThread(null); // before the connection goes back: then it may be another lease's
        if (!delegate.getAutoCommit()) {
            rollbackJdbcTransaction();
            delegate.setAutoCommit(true);
        } else if (state == State.SQL_TRANSACTION || transactionInSqlPossible) {
            if (SqliteTransactionControl.inTransaction(delegate)) {
                SqliteTransactionControl.rollback(delegate);
            }
        }
        savepointDepth = 0;
        transactionInSqlPossible = false;
        if (readOnly) {
            SqliteTransactionControl.queryOnly(delegate, false);
        }
    }

    /**
     * Ends the lease's claim on the lane, in whatever state it was left (closed, aborted, closed by
     * another thread). A write result that kept the lane in auto-commit mode was committed when its
     * statement was closed; everything else was rolled back.
     */
    void dropWriteLane() {
        boolean resultCommitted = laneResults != null && !laneResults.isEmpty();
        if (laneResults != null) {
            laneResults.clear();
        }
        state = State.AUTO_COMMIT;
        if (laneEnabled) {
            owner.releaseWriteLane(lease, resultCommitted);
        }
    }
}
