package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.github.sqlitepool.pool.sql.SqlClassifier;
import io.github.sqlitepool.pool.sql.SqlClassifier.SqlKind;
import org.sqlite.SQLiteConfig.TransactionMode;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.sqlite.core.DB;

/**
 * The transactions of one {@link ConnectionLease} and the write lane they hold: every execution
 * and every transaction boundary of the lease comes here, after the lease has checked it is open,
 * so that the pool's write discipline is enforced without the caller's code knowing it. Used by
 * the lease's owning thread only (an abort from another thread only lets the lane go, after the
 * lease is closed).
 *
 * <p>Read-only mode is implemented with {@code PRAGMA query_only}: sqlite-jdbc can only set
 * read-only when a connection is opened, which a pool cannot do per lease.
 *
 * <p>The write lane (when the owner has one) is held by this lease while, and only while:
 * <ul>
 * <li>a JDBC transaction is open on a lease that is not read-only: from
 * {@code setAutoCommit(false)} (which begins with {@code BEGIN IMMEDIATE}) until
 * {@code commit()}, {@code rollback()} or {@code setAutoCommit(true)}. sqlite-jdbc begins the
 * next transaction at once; that one begins deferred and lane-free, and takes the lane and
 * {@code BEGIN IMMEDIATE} before its first statement ({@link #endWriteTransaction});</li>
 * <li>in auto-commit mode, a statement that can write ({@link SqlClassifier}) runs; when the
 * execution leaves a result open ({@code INSERT ... RETURNING}), until that statement is
 * closed or executed again, since SQLite keeps the write transaction until the statement
 * is reset;</li>
 * <li>a transaction opened in SQL ({@code BEGIN}, or {@code SAVEPOINT} outside a
 * transaction) is open, until {@code COMMIT}/{@code END}/{@code ROLLBACK} (or the
 * {@code RELEASE} of that first savepoint) succeeds;</li>
 * </ul>
 * and in every case at most until the lease is closed or aborted.
 */
final class LeaseTransactions {

    /** Primary result codes after which SQLite may roll a transaction back by itself. */
    private static final Set<Integer> AUTO_ROLLBACK_CODES = Set.of(SQLiteErrorCode.SQLITE_FULL.code,
            SQLiteErrorCode.SQLITE_IOERR.code, SQLiteErrorCode.SQLITE_BUSY.code, SQLiteErrorCode.SQLITE_NOMEM.code,
            SQLiteErrorCode.SQLITE_INTERRUPT.code);

    private boolean readOnly;

    /** Mirrors the driver's auto-commit flag, which only this lease changes. */
    private boolean autoCommit = true;

    private final boolean laneEnabled;

    private boolean holdsLane;

    /**
     * The JDBC transaction open now is the one sqlite-jdbc began by itself after a
     * {@code commit()} or {@code rollback()}: a deferred {@code BEGIN} that has run nothing, with
     * the lane let go. Its first statement takes the lane and turns it into
     * {@code BEGIN IMMEDIATE} ({@link #resumeWriteTransaction()}).
     */
    private boolean idleTransaction;

    /** Statements whose open result keeps the lane in auto-commit mode; usually empty. */
    private List<LeasedStatement<?>> laneResults;

    /** The error after which SQLite rolled the JDBC transaction back by itself; null when it did not. */
    private SQLException abortedBy;

    /** A transaction opened in SQL ({@code BEGIN}/{@code SAVEPOINT}) in auto-commit mode. */
    private boolean sqlTransaction;

    /** Set when SQL ran that may have opened a transaction this lease does not track. */
    private boolean transactionInSqlPossible;

    /** Savepoints open in an SQL transaction opened by {@code SAVEPOINT}; 0 when opened by {@code BEGIN}. */
    private int savepointDepth;

    private final ConnectionLease lease;

    private final LeaseOwner pool;

    private final Connection delegate;

    private final LeaseResources resources;

    LeaseTransactions(ConnectionLease lease, LeaseOwner pool, Connection delegate, LeaseResources resources) {
        this.lease = lease;
        this.pool = pool;
        this.delegate = delegate;
        this.resources = resources;
        this.laneEnabled = pool.writeLaneEnabled();
    }

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
            pool.statementFailed(e);
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

    private <T> T route(LeasedStatement<?> statement, String sql, SqlCall<T> call) throws SQLException {
        if (readOnly) {
            SqlKind kind = statement.kind(sql);
            refuseWrite(kind, sql);
            noteTransactionInSql(kind, sql);
            return call.call();
        }
        if (!autoCommit) {
            return executeInJdbcTransaction(sql, call); // the lane, if any, is already held
        }
        if (!laneEnabled) {
            noteTransactionInSql(statement.kind(sql), sql);
            return call.call();
        }
        if (sqlTransaction) {
            return executeInSqlTransaction(statement.kind(sql), call);
        }
        SqlKind kind = statement.kind(sql);
        if (kind == SqlKind.READ || kind == SqlKind.END || kind == SqlKind.RELEASE) {
            T result = call.call();
            resultDone(statement); // a failure is handled in execute(), after a reset
            return result;
        }
        acquireLane();
        boolean keep = false;
        boolean succeeded = false;
        try {
            if (kind == SqlKind.WRITE) {
                noteTransactionInSql(kind, sql); // "BEGIN; INSERT ..." or a batch may leave one open
            }
            T result = call.call();
            succeeded = true;
            if (kind == SqlKind.BEGIN || kind == SqlKind.BEGIN_WRITE || kind == SqlKind.SAVEPOINT) {
                sqlTransaction = true;
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
                    resultDone(statement); // a failure is handled in execute(), after a reset
                }
                releaseLaneIfUnused();
            }
        }
    }

    private <T> T executeInJdbcTransaction(String sql, SqlCall<T> call) throws SQLException {
        if (abortedBy != null) {
            throw transactionAborted("nothing was run: " + (sql == null ? "a batch" : sql));
        }
        if (idleTransaction) {
            resumeWriteTransaction();
        }
        try {
            return call.call();
        } catch (SQLException e) {
            noteAutomaticRollback(e);
            throw e;
        }
    }

    /**
     * SQLite rolls a transaction back by itself on some errors ({@code SQLITE_FULL},
     * {@code SQLITE_IOERR}, {@code SQLITE_BUSY}, {@code SQLITE_NOMEM}), while sqlite-jdbc still
     * reports the transaction open; the statements that followed would then each commit on
     * their own. After such an error this checks whether SQLite is still in a transaction.
     */
    private void noteAutomaticRollback(SQLException e) throws SQLException {
        if (!(e instanceof SQLiteException sqlite) || !AUTO_ROLLBACK_CODES.contains(sqlite.getResultCode().code & 0xff)) {
            return;
        }
        if (!sqliteInTransaction()) {
            abortedBy = e;
        }
    }

    /**
     * Whether SQLite itself has a transaction open, whatever the driver believes. sqlite-jdbc does
     * not expose {@code sqlite3_get_autocommit}, so the test is a {@code BEGIN}: it fails only
     * inside a transaction, and when it succeeds it is rolled back at once. Two statements (a few
     * microseconds), so it runs only after errors and for leases that ran SQL which may have
     * opened a transaction.
     */
    private boolean sqliteInTransaction() throws SQLException {
        DB database = ((SQLiteConnection) delegate).getDatabase();
        try {
            database.exec("BEGIN", false);
        } catch (SQLException refusedInsideATransaction) {
            return true;
        }
        database.exec("ROLLBACK", false);
        return false;
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

    private void refuseWrite(SqlKind kind, String sql) throws SQLException {
        if (kind == SqlKind.WRITE || kind == SqlKind.BEGIN_WRITE) {
            throw new SQLException("connection is read-only (Connection.setReadOnly(true), for example "
                    + "@Transactional(readOnly = true)) and this statement can write; nothing was run: "
                    + (sql == null ? "a batch" : sql), "25006");
        }
    }

    private <T> T executeInSqlTransaction(SqlKind kind, SqlCall<T> call) throws SQLException {
        T result = call.call();
        switch (kind) {
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
        sqlTransaction = false;
        savepointDepth = 0;
        releaseLaneIfUnused();
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
            releaseLaneIfUnused();
        }
    }

    private void acquireLane() throws SQLException {
        if (!holdsLane) {
            pool.acquireWriteLane(lease);
            holdsLane = true;
        }
    }

    /** Releases the lane unless a transaction or an open write result still needs it. */
    private void releaseLaneIfUnused() {
        if (holdsLane && autoCommit && !sqlTransaction && (laneResults == null || laneResults.isEmpty())) {
            holdsLane = false;
            pool.releaseWriteLane(lease);
        }
    }

    /**
     * Rolls back a transaction the caller opened with SQL ({@code BEGIN ...}) while the driver
     * was in auto-commit mode: sqlite-jdbc does not see it, so {@link #getAutoCommit()} stays
     * true while the connection holds the transaction (and, after a write, the write lock).
     */
    private void rollbackTransactionBegunWithSql() throws SQLException {
        if (sqliteInTransaction()) {
            ((SQLiteConnection) delegate).getDatabase().exec("ROLLBACK", false);
        }
    }

    /**
     * Turning auto-commit off on a lease that is not read-only takes the write lane (waiting
     * at most {@code acquire-timeout}) and begins with {@code BEGIN IMMEDIATE}; a read-only
     * lease begins with a deferred {@code BEGIN} and never takes the lane. Turning it back on
     * commits and releases the lane; if that commit fails, the transaction is rolled back so
     * that the lane is not released while SQLite still holds the write lock.
     */
    void setAutoCommit(boolean autoCommit) throws SQLException {
        if (autoCommit == this.autoCommit) {
            delegate.setAutoCommit(autoCommit);
            return;
        }
        if (!autoCommit) {
            beginTransaction();
        } else {
            endTransaction();
        }
    }

    private void beginTransaction() throws SQLException {
        if (laneEnabled) {
            if (!readOnly) {
                acquireLane();
            }
            try {
                setTransactionMode();
                delegate.setAutoCommit(false);
            } catch (SQLException | RuntimeException e) {
                releaseLaneIfUnused();
                throw e;
            }
        } else {
            delegate.setAutoCommit(false);
        }
        this.autoCommit = false;
    }

    /** The BEGIN sqlite-jdbc runs for this lease's transactions: IMMEDIATE, or deferred when read-only. */
    private void setTransactionMode() {
        ((SQLiteConnection) delegate).getConnectionConfig()
                .setTransactionMode(readOnly ? TransactionMode.DEFERRED : TransactionMode.IMMEDIATE);
    }

    private void endTransaction() throws SQLException {
        if (abortedBy != null) {
            // nothing to commit: end the transaction sqlite-jdbc believes open, then report
            SQLException aborted = transactionAborted("nothing was committed");
            try {
                rollbackJdbcTransaction();
                delegate.setAutoCommit(true);
            } finally {
                this.autoCommit = true;
                releaseLaneIfUnused();
            }
            throw aborted;
        }
        try {
            delegate.setAutoCommit(true);
        } catch (SQLException | RuntimeException e) {
            pool.statementFailed(e);
            // sqlite-jdbc flips its flag before COMMIT runs: a failed COMMIT leaves SQLite in
            // the transaction while the driver reports auto-commit
            try {
                rollbackSqlTransaction();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        } finally {
            this.autoCommit = true;
            leaveIdleTransaction();
            releaseLaneIfUnused();
        }
    }

    /** Rolls back whatever transaction SQLite has open, behind the driver's back. */
    private void rollbackSqlTransaction() throws SQLException {
        sqlTransaction = false;
        savepointDepth = 0;
        try {
            ((SQLiteConnection) delegate).getDatabase().exec("ROLLBACK", false);
        } catch (SQLException e) {
            if (!noTransactionActive(e)) {
                throw e;
            }
        }
    }

    /**
     * Commits; refused, with the error that caused it, when SQLite already rolled the transaction
     * back. A write transaction lets the lane go here (see {@link #endWriteTransaction}).
     */
    void commit() throws SQLException {
        if (abortedBy != null) {
            throw transactionAborted("nothing was committed");
        }
        if (holdsLaneForJdbcTransaction()) {
            endWriteTransaction(() -> {
                delegate.commit();
                return null;
            });
        } else {
            delegate.commit();
        }
    }

    /**
     * Whether {@link #endWriteTransaction} may end this lease's transaction: a JDBC write
     * transaction holding the lane, with no statement open (a pending read would keep its
     * snapshot past the COMMIT, and the next {@code BEGIN IMMEDIATE} would then fail once another
     * lease had written) and no transaction opened in SQL around it.
     */
    private boolean holdsLaneForJdbcTransaction() {
        return holdsLane && !autoCommit && !readOnly && !idleTransaction && !sqlTransaction && resources.noStatements();
    }

    /**
     * Ends a write transaction ({@code end} is sqlite-jdbc's commit or rollback) and lets the
     * lane go. sqlite-jdbc begins the next transaction right after ending one; that
     * {@code BEGIN} is made a deferred one, which takes no lock, so that nobody waits for a
     * lease that may never write again (Spring's transaction manager, for one, goes back to
     * auto-commit next). Should the lease run anything in it, {@link #resumeWriteTransaction()}
     * first takes the lane again and begins with {@code BEGIN IMMEDIATE}.
     */
    private void endWriteTransaction(SqlCall<Void> end) throws SQLException {
        SQLiteConnection connection = (SQLiteConnection) delegate;
        connection.getConnectionConfig().setTransactionMode(TransactionMode.DEFERRED);
        try {
            end.call();
        } catch (SQLException e) {
            pool.statementFailed(e);
            setTransactionMode(); // the transaction is still open (a failed COMMIT): it keeps the lane
            try {
                noteAutomaticRollback(e); // unless SQLite itself rolled it back (SQLITE_FULL, ...)
            } catch (SQLException probeFailure) {
                e.addSuppressed(probeFailure);
            }
            throw e;
        } catch (RuntimeException e) {
            setTransactionMode();
            throw e;
        }
        idleTransaction = true;
        holdsLane = false;
        pool.releaseWriteLane(lease);
    }

    /**
     * Before the first statement of a transaction sqlite-jdbc began after a commit or rollback
     * (see {@link #endWriteTransaction}): takes the lane, ends the deferred transaction, which
     * has run nothing, and begins an immediate one in its place.
     */
    private void resumeWriteTransaction() throws SQLException {
        acquireLane(); // may time out: the lease then stays in its empty deferred transaction
        DB database = ((SQLiteConnection) delegate).getDatabase();
        try {
            database.exec("COMMIT", false);
            database.exec("BEGIN IMMEDIATE", false);
        } catch (SQLException | RuntimeException e) {
            // keep what sqlite-jdbc believes, a transaction open, true: begin a deferred one
            try {
                if (!sqliteInTransaction()) {
                    database.exec("BEGIN", false);
                }
            } catch (SQLException restoreFailure) {
                e.addSuppressed(restoreFailure);
            }
            holdsLane = false;
            pool.releaseWriteLane(lease);
            throw e;
        }
        leaveIdleTransaction();
    }

    /** The deferred transaction after a commit is over: later BEGINs are this lease's usual ones again. */
    private void leaveIdleTransaction() {
        if (idleTransaction) {
            idleTransaction = false;
            setTransactionMode();
        }
    }

    /**
     * Rolls the JDBC transaction back. When SQLite has already rolled it back by itself
     * ({@code SQLITE_FULL}, an I/O error, ... end the transaction), that counts as rolled back:
     * the caller sees the error that ended the transaction, not a failing rollback.
     */
    void rollback() throws SQLException {
        if (holdsLaneForJdbcTransaction()) {
            endWriteTransaction(() -> {
                rollbackJdbcTransaction();
                return null;
            });
        } else {
            rollbackJdbcTransaction();
        }
    }

    private void rollbackJdbcTransaction() throws SQLException {
        try {
            delegate.rollback();
            abortedBy = null;
        } catch (SQLException e) {
            if (!noTransactionActive(e)) {
                throw e;
            }
            // sqlite-jdbc's rollback() ends with the BEGIN of the next transaction, which it
            // skipped because its ROLLBACK failed: run it so the lease stays in a transaction
            // (BEGIN IMMEDIATE while this lease holds the lane)
            SQLiteConnection connection = (SQLiteConnection) delegate;
            connection.getDatabase().exec(beginStatement(connection), false);
            abortedBy = null;
        }
    }

    /** Whether {@code e} says SQLite had no transaction to end: it had already rolled it back. */
    private static boolean noTransactionActive(SQLException e) {
        return e instanceof SQLiteException sqlite
                && sqlite.getResultCode() == SQLiteErrorCode.SQLITE_ERROR
                && String.valueOf(e.getMessage()).contains("no transaction is active");
    }

    /** The BEGIN sqlite-jdbc runs for the connection's transactions (see {@link #setTransactionMode()}). */
    private static String beginStatement(SQLiteConnection connection) {
        TransactionMode mode = connection.getConnectionConfig().getTransactionMode();
        return mode == TransactionMode.DEFERRED ? "BEGIN" : "BEGIN " + mode.name();
    }

    void setReadOnly(boolean readOnly) throws SQLException {
        if (readOnly == this.readOnly) {
            return;
        }
        if (!autoCommit || sqlTransaction) {
            throw new SQLException("read-only cannot change inside a transaction; set it before setAutoCommit(false)");
        }
        applyQueryOnly(readOnly);
        this.readOnly = readOnly;
    }

    private void applyQueryOnly(boolean on) throws SQLException {
        try (Statement statement = delegate.createStatement()) {
            statement.execute(on ? "PRAGMA query_only = 1" : "PRAGMA query_only = 0");
        }
    }

    boolean isReadOnly() throws SQLException {
        return readOnly;
    }

    /** Ends the lease's claim on the lane, in whatever state it was left. */
    void dropWriteLane() {
        sqlTransaction = false;
        if (laneResults != null) {
            laneResults.clear();
        }
        if (holdsLane) {
            holdsLane = false;
            pool.releaseWriteLane(lease);
        }
    }

    Savepoint savepoint(SqlCall<Savepoint> call) throws SQLException {
        if (!autoCommit) {
            if (idleTransaction) {
                resumeWriteTransaction(); // a savepoint must not live in the deferred stand-in
            }
            return call.call();
        }
        if (laneEnabled) {
            if (!readOnly) {
                acquireLane();
            }
            setTransactionMode(); // for the transactions sqlite-jdbc begins after a commit
        }
        try {
            Savepoint savepoint = call.call();
            autoCommit = delegate.getAutoCommit();
            return savepoint;
        } finally {
            releaseLaneIfUnused();
        }
    }

    /**
     * Ends what the lease left open: a JDBC transaction or one opened in SQL is rolled back,
     * auto-commit and read-only are as a new lease expects.
     */
    void reset() throws SQLException {
        if (!delegate.getAutoCommit()) {
            rollbackJdbcTransaction();
            delegate.setAutoCommit(true);
        } else if (sqlTransaction || transactionInSqlPossible) {
            rollbackTransactionBegunWithSql();
        }
        sqlTransaction = false;
        savepointDepth = 0;
        transactionInSqlPossible = false;
        leaveIdleTransaction();
        if (readOnly) {
            applyQueryOnly(false);
        }
    }
}
