package io.github.sqlitepool.pool;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.ClientInfoStatus;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.github.sqlitepool.pool.sql.SqlClassifier;
import io.github.sqlitepool.pool.sql.SqlClassifier.SqlKind;
import org.sqlite.SQLiteConfig.TransactionMode;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.sqlite.core.DB;

/**
 * The connection a caller gets from {@link SqlitePool#getConnection()}: a lease on one
 * pooled connection, valid until {@link #close()} hands it back to its {@link LeaseOwner}.
 *
 * <p>The lease is where the pool meets the caller's work. Statement executions reach
 * {@link #execute}, and the transaction boundaries ({@link #setAutoCommit}, {@link #commit},
 * {@link #rollback()}, {@link #setReadOnly}) are implemented here, so the pool's write
 * discipline can be enforced without the caller's code knowing it.
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
final class ConnectionLease implements Connection {

    /** Primary result codes after which SQLite may roll a transaction back by itself. */
    private static final Set<Integer> AUTO_ROLLBACK_CODES = Set.of(SQLiteErrorCode.SQLITE_FULL.code,
            SQLiteErrorCode.SQLITE_IOERR.code, SQLiteErrorCode.SQLITE_BUSY.code, SQLiteErrorCode.SQLITE_NOMEM.code);

    private static final AtomicIntegerFieldUpdater<ConnectionLease> CLOSED =
            AtomicIntegerFieldUpdater.newUpdater(ConnectionLease.class, "closed");

    private final LeaseOwner pool;

    final PooledConnection entry;

    private final Connection delegate;

    private final List<LeasedStatement<?>> openStatements = new ArrayList<>(4);

    private final Thread owner = Thread.currentThread();

    /** When the lease was taken, or {@link #NOT_TIMED}: a clock read only when someone listens. */
    private final long leasedAtNanos;

    /** {@link #leasedAtNanos()} of a lease taken while no listener was registered. */
    static final long NOT_TIMED = Long.MIN_VALUE;

    private volatile int closed;

    private boolean readOnly;

    private boolean isolationChanged;

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

    ConnectionLease(LeaseOwner pool, PooledConnection entry, long leasedAtNanos) {
        this.pool = pool;
        this.entry = entry;
        this.leasedAtNanos = leasedAtNanos;
        this.delegate = entry.raw();
        this.laneEnabled = pool.writeLaneEnabled();
    }

    /** When the lease was taken, in {@link System#nanoTime()} terms, or {@link #NOT_TIMED}. */
    long leasedAtNanos() {
        return leasedAtNanos;
    }

    /**
     * Runs one execution of {@code sql} on this lease; {@code sql} is null when the text is
     * not known (a batch of different statements).
     */
    <T> T execute(LeasedStatement<?> statement, String sql, SqlCall<T> call) throws SQLException {
        checkOpen();
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
            SqlKind kind = SqlClassifier.classify(sql);
            refuseWrite(kind, sql);
            noteTransactionInSql(kind, sql);
            return call.call();
        }
        if (!autoCommit) {
            return executeInJdbcTransaction(sql, call); // the lane, if any, is already held
        }
        if (!laneEnabled) {
            noteTransactionInSql(SqlClassifier.classify(sql), sql);
            return call.call();
        }
        if (sqlTransaction) {
            return executeInSqlTransaction(sql, call);
        }
        SqlKind kind = SqlClassifier.classify(sql);
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
    private void resultDone(LeasedStatement<?> statement) {
        if (laneResults != null && laneResults.remove(statement)) {
            releaseLaneIfUnused();
        }
    }

    private void acquireLane() throws SQLException {
        if (!holdsLane) {
            pool.acquireWriteLane(this);
            holdsLane = true;
        }
    }

    /** Releases the lane unless a transaction or an open write result still needs it. */
    private void releaseLaneIfUnused() {
        if (holdsLane && autoCommit && !sqlTransaction && (laneResults == null || laneResults.isEmpty())) {
            holdsLane = false;
            pool.releaseWriteLane(this);
        }
    }

    void checkOpen() throws SQLException {
        if (closed != 0) {
            throw new SQLException("connection is closed", "08003");
        }
    }

    private void checkOpenForClientInfo() throws SQLClientInfoException {
        if (closed != 0) {
            throw new SQLClientInfoException("connection is closed", Map.<String, ClientInfoStatus>of());
        }
    }

    private <S extends LeasedStatement<?>> S track(S statement) {
        openStatements.add(statement);
        return statement;
    }

    void forget(LeasedStatement<?> statement) {
        resultDone(statement);
        for (int i = openStatements.size() - 1; i >= 0; i--) {
            if (openStatements.get(i) == statement) {
                openStatements.remove(i);
                return;
            }
        }
    }

    /**
     * Puts the connection back in the state a new lease expects: statements closed, an open
     * transaction rolled back, auto-commit on, read-only off, isolation and warnings cleared.
     *
     * @throws SQLException when the connection cannot be reset and must be replaced
     */
    void reset() throws SQLException {
        SQLException failure = null;
        for (int i = openStatements.size() - 1; i >= 0; i--) {
            try {
                openStatements.get(i).delegate.close();
            } catch (SQLException e) {
                failure = e;
            }
        }
        openStatements.clear();
        if (failure != null) {
            throw failure;
        }
        if (delegate.isClosed()) {
            throw new SQLException("pooled connection was closed underneath its lease");
        }
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
        if (isolationChanged) {
            delegate.setTransactionIsolation(entry.defaultIsolation());
        }
        delegate.clearWarnings();
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

    // --- statements -------------------------------------------------------------------------

    @Override
    public Statement createStatement() throws SQLException {
        checkOpen();
        return track(new LeasedStatement<>(this, delegate.createStatement()));
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        checkOpen();
        return track(new LeasedStatement<>(this, delegate.createStatement(resultSetType, resultSetConcurrency)));
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        checkOpen();
        return track(new LeasedStatement<>(this,
                delegate.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability)));
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        checkOpen();
        StatementCache cache = entry.statements();
        if (cache.enabled()) {
            // a hit first: only cacheable text was ever put back, so a hit needs no look at the text
            PreparedStatement cached = cache.take(sql);
            if (cached != null) {
                return track(new LeasedPreparedStatement(this, cached, sql, cache));
            }
            if (StatementCache.cacheable(sql)) {
                cache.missed();
                return track(new LeasedPreparedStatement(this, delegate.prepareStatement(sql), sql, cache));
            }
        }
        return track(new LeasedPreparedStatement(this, delegate.prepareStatement(sql), sql));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        checkOpen();
        return track(new LeasedPreparedStatement(this, delegate.prepareStatement(sql, autoGeneratedKeys), sql));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        checkOpen();
        return track(new LeasedPreparedStatement(this, delegate.prepareStatement(sql, columnIndexes), sql));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        checkOpen();
        return track(new LeasedPreparedStatement(this, delegate.prepareStatement(sql, columnNames), sql));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        checkOpen();
        return track(new LeasedPreparedStatement(this,
                delegate.prepareStatement(sql, resultSetType, resultSetConcurrency), sql));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        checkOpen();
        return track(new LeasedPreparedStatement(this,
                delegate.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability), sql));
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        throw noStoredProcedures();
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        throw noStoredProcedures();
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        throw noStoredProcedures();
    }

    private SQLException noStoredProcedures() throws SQLException {
        checkOpen();
        return new SQLFeatureNotSupportedException("SQLite has no stored procedures: prepareCall is not supported");
    }

    // --- transaction boundaries --------------------------------------------------------------

    /**
     * Turning auto-commit off on a lease that is not read-only takes the write lane (waiting
     * at most {@code acquire-timeout}) and begins with {@code BEGIN IMMEDIATE}; a read-only
     * lease begins with a deferred {@code BEGIN} and never takes the lane. Turning it back on
     * commits and releases the lane; if that commit fails, the transaction is rolled back so
     * that the lane is not released while SQLite still holds the write lock.
     */
    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        checkOpen();
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
    @Override
    public void commit() throws SQLException {
        checkOpen();
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
        return holdsLane && !autoCommit && !readOnly && !idleTransaction && !sqlTransaction && openStatements.isEmpty();
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
        pool.releaseWriteLane(this);
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
            pool.releaseWriteLane(this);
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
    @Override
    public void rollback() throws SQLException {
        checkOpen();
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

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        checkOpen();
        delegate.rollback(savepoint);
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        checkOpen();
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

    @Override
    public boolean isReadOnly() throws SQLException {
        checkOpen();
        return readOnly;
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        checkOpen();
        delegate.setTransactionIsolation(level);
        isolationChanged = level != entry.defaultIsolation();
    }

    // --- life cycle ---------------------------------------------------------------------------

    /** Hands the connection back to the pool; a second call does nothing. */
    @Override
    public void close() throws SQLException {
        if (CLOSED.compareAndSet(this, 0, 1)) {
            try {
                pool.release(this);
            } finally {
                dropWriteLane();
            }
        }
    }

    /** Ends the lease's claim on the lane, in whatever state it was left. */
    private void dropWriteLane() {
        sqlTransaction = false;
        if (laneResults != null) {
            laneResults.clear();
        }
        if (holdsLane) {
            holdsLane = false;
            pool.releaseWriteLane(this);
        }
    }

    @Override
    public boolean isClosed() {
        return closed != 0;
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        if (timeout < 0) {
            throw new SQLException("isValid timeout must not be negative, was " + timeout);
        }
        return closed == 0 && delegate.isValid(timeout);
    }

    /** Closes the pooled connection itself (it will be replaced) and ends the lease. */
    @Override
    public void abort(Executor executor) throws SQLException {
        if (executor == null) {
            throw new SQLException("abort needs an executor");
        }
        if (CLOSED.compareAndSet(this, 0, 1)) {
            try {
                entry.interrupt(); // abort is called from other threads: do not wait for a running statement
                delegate.close();
            } finally {
                try {
                    pool.release(this);
                } finally {
                    dropWriteLane();
                }
            }
        }
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        checkOpen();
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        checkOpen();
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "ConnectionLease[" + pool.name() + ", owner=" + owner.getName() + (closed != 0 ? ", closed" : "") + "]";
    }

    // --- plain delegation ---------------------------------------------------------------------

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
        delegate.clearWarnings();
    }

    @Override
    public Array createArrayOf(String a0, Object[] a1) throws SQLException {
        checkOpen();
        return delegate.createArrayOf(a0, a1);
    }

    @Override
    public Blob createBlob() throws SQLException {
        checkOpen();
        return delegate.createBlob();
    }

    @Override
    public Clob createClob() throws SQLException {
        checkOpen();
        return delegate.createClob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        checkOpen();
        return delegate.createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        checkOpen();
        return delegate.createSQLXML();
    }

    @Override
    public Struct createStruct(String a0, Object[] a1) throws SQLException {
        checkOpen();
        return delegate.createStruct(a0, a1);
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        checkOpen();
        return delegate.getAutoCommit();
    }

    @Override
    public String getCatalog() throws SQLException {
        checkOpen();
        return delegate.getCatalog();
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        checkOpen();
        return delegate.getClientInfo();
    }

    @Override
    public String getClientInfo(String a0) throws SQLException {
        checkOpen();
        return delegate.getClientInfo(a0);
    }

    @Override
    public int getHoldability() throws SQLException {
        checkOpen();
        return delegate.getHoldability();
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        checkOpen();
        return new LeasedDatabaseMetaData(this, delegate.getMetaData());
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        checkOpen();
        return delegate.getNetworkTimeout();
    }

    @Override
    public String getSchema() throws SQLException {
        checkOpen();
        return delegate.getSchema();
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        checkOpen();
        return delegate.getTransactionIsolation();
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        checkOpen();
        return delegate.getTypeMap();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return delegate.getWarnings();
    }

    @Override
    public String nativeSQL(String a0) throws SQLException {
        checkOpen();
        return delegate.nativeSQL(a0);
    }

    @Override
    public void releaseSavepoint(Savepoint a0) throws SQLException {
        checkOpen();
        delegate.releaseSavepoint(a0);
    }

    @Override
    public void setCatalog(String a0) throws SQLException {
        checkOpen();
        delegate.setCatalog(a0);
    }

    @Override
    public void setClientInfo(String a0, String a1) throws SQLClientInfoException {
        checkOpenForClientInfo();
        delegate.setClientInfo(a0, a1);
    }

    @Override
    public void setClientInfo(Properties a0) throws SQLClientInfoException {
        checkOpenForClientInfo();
        delegate.setClientInfo(a0);
    }

    @Override
    public void setHoldability(int a0) throws SQLException {
        checkOpen();
        delegate.setHoldability(a0);
    }

    @Override
    public void setNetworkTimeout(Executor a0, int a1) throws SQLException {
        checkOpen();
        delegate.setNetworkTimeout(a0, a1);
    }

    /**
     * In auto-commit mode sqlite-jdbc turns auto-commit off and opens the transaction with
     * {@code SAVEPOINT}: the lane is taken first, as for {@code setAutoCommit(false)}.
     */
    @Override
    public Savepoint setSavepoint() throws SQLException {
        checkOpen();
        return savepoint(delegate::setSavepoint);
    }

    /** See {@link #setSavepoint()}. */
    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        checkOpen();
        return savepoint(() -> delegate.setSavepoint(name));
    }

    private Savepoint savepoint(SqlCall<Savepoint> call) throws SQLException {
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

    @Override
    public void setSchema(String a0) throws SQLException {
        checkOpen();
        delegate.setSchema(a0);
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> a0) throws SQLException {
        checkOpen();
        delegate.setTypeMap(a0);
    }
}
