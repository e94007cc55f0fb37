package io.github.sqlitepool.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.concurrent.Executor;

import io.github.sqlitepool.jdbc.generator.GenerateDelegation;
import io.github.sqlitepool.pool.sql.SqlClassifier.SqlKind;

/**
 * The connection a caller gets from {@link SqlitePool#getConnection()}: a lease on one
 * pooled connection, valid until {@link #close()} hands it back to its {@link LeaseOwner}.
 *
 * <p>The lease is where the pool meets the caller's work. Statement executions reach
 * {@link #execute}, and the transaction boundaries ({@link #setAutoCommit}, {@link #commit},
 * {@link #rollback()}, {@link #setReadOnly}) are implemented here, so the pool's write
 * discipline can be enforced without the caller's code knowing it.
 *
 * <p>The connection it runs on is {@link LeaseConnections}'; its transactions and the write lane
 * they hold are {@link LeaseTransactions}'; what it handed out and closes at its end,
 * {@link LeaseResources}; how a statement execution runs, {@link LeaseExecutions}; what it
 * changed in the connection's settings, {@link LeaseSettings}.
 *
 * <p>The methods not written here check {@link #checkOpen()}, then delegate to the pooled
 * connection ({@code GeneratedConnectionLease}).
 */
@GenerateDelegation(guard = "checkOpen()")
abstract class ConnectionLease extends LeaseConnections implements Connection {

    private static final VarHandle CLOSED = FieldHandles.of(MethodHandles.lookup(), "closed", int.class);

    private final LeaseOwner pool;

    /** Its open statements and metadata result sets; shared with a thread that aborts the lease. */
    private final LeaseResources resources = new LeaseResources();

    private final LeaseTransactions transactions;

    private final LeaseExecutions executions;

    private final LeaseSettings settings;

    /** When the lease was taken, or {@link #NOT_TIMED}: a clock read only when someone listens. */
    private final long leasedAtNanos;

    /** {@link #leasedAtNanos()} of a lease taken while no listener was registered. */
    static final long NOT_TIMED = Long.MIN_VALUE;

    private volatile int closed;

    ConnectionLease(LeaseOwner pool, PooledConnection entry, long leasedAtNanos) {
        super(entry);
        this.pool = pool;
        this.leasedAtNanos = leasedAtNanos;
        this.settings = new LeaseSettings(pool, this);
        this.transactions = new LeaseTransactions(this, pool, resources, settings);
        this.executions = new LeaseExecutions(transactions, this);
    }

    @Override
    void databaseChanged() {
        executions.useDatabase(database());
    }

    /** When the lease was taken, in {@link System#nanoTime()} terms, or {@link #NOT_TIMED}. */
    long leasedAtNanos() {
        return leasedAtNanos;
    }

    /** Runs one execution of {@code sql} on this lease: see {@link LeaseExecutions#execute}. */
    <T> T execute(LeasedStatement<?> statement, String sql, SqlCall<T> call) throws SQLException {
        checkOpen();
        SqlKind kind = statement.kind(sql); // classified once per statement text
        settings.executing(kind, sql);
        return executions.execute(statement, kind, sql, call);
    }

    /** How long an execution may still wait for the write lane: -1 when it has no query timeout. */
    long executionTimeLeftNanos() {
        return executions.timeLeftNanos();
    }

    /** {@code Statement.cancel()} from any thread: stops this lease's running execution, if any. */
    void cancelExecution() throws SQLException {
        executions.cancel();
    }

    void checkOpen() throws SQLException {
        if (closed != 0) {
            throw new SQLException("connection is closed", "08003");
        }
    }

    /**
     * Before a statement, metadata or savepoint is created: the lease is open, and a transaction
     * handed a commit group moves onto the group's connection first ({@link GroupMembership}).
     */
    private void checkOpenForStatement() throws SQLException {
        checkOpen();
        transactions.enterGroupIfPending();
    }

    /** {@link #checkOpenForStatement()}, then the driver connection statements are made on. */
    private Connection openForStatement() throws SQLException {
        checkOpenForStatement();
        return delegate;
    }

    void forget(LeasedStatement<?> statement) {
        transactions.resultDone(statement);
        resources.remove(statement);
    }

    /** A result set of this lease's database metadata, closed when the lease ends. */
    LeasedResultSet metadataResults(ResultSet driverResults) throws SQLException {
        return LeaseStatements.metadataResults(this, resources, driverResults);
    }

    /** Called by a metadata result set of this lease when its holder closes it. */
    void metadataResultsClosed(LeasedResultSet results) {
        resources.remove(results);
    }

    /** Before the pool takes the connection back: see {@link LeaseTransactions#settleGroup()}; {@link #entry} may change. */
    void settleGroup() {
        transactions.settleGroup();
    }

    /**
     * Puts the connection back in the state a new lease expects: statements closed, an open
     * transaction rolled back, auto-commit on, read-only off, isolation and warnings cleared.
     *
     * @throws SQLException when the connection cannot be reset and must be replaced
     */
    void reset() throws SQLException {
        resources.closeAll();
        if (delegate.isClosed()) {
            throw new SQLException("pooled connection was closed underneath its lease");
        }
        transactions.reset();
        settings.restore();
        delegate.clearWarnings();
    }

    // --- statements -------------------------------------------------------------------------

    @Override
    public Statement createStatement() throws SQLException {
        return LeaseStatements.wrap(this, resources, openForStatement().createStatement());
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        return LeaseStatements.wrap(this, resources,
                openForStatement().createStatement(resultSetType, resultSetConcurrency));
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        return LeaseStatements.wrap(this, resources,
                openForStatement().createStatement(resultSetType, resultSetConcurrency, resultSetHoldability));
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        checkOpenForStatement();
        return LeaseStatements.prepare(this, resources, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        return LeaseStatements.wrap(this, resources, openForStatement().prepareStatement(sql, autoGeneratedKeys), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        return LeaseStatements.wrap(this, resources, openForStatement().prepareStatement(sql, columnIndexes), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        return LeaseStatements.wrap(this, resources, openForStatement().prepareStatement(sql, columnNames), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        return LeaseStatements.wrap(this, resources,
                openForStatement().prepareStatement(sql, resultSetType, resultSetConcurrency), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        return LeaseStatements.wrap(this, resources,
                openForStatement().prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability), sql);
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

    // --- transaction boundaries: see LeaseTransactions ----------------------------------------

    /** See {@link LeaseTransactions#setAutoCommit}. */
    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        checkOpen();
        transactions.setAutoCommit(autoCommit);
    }

    /** See {@link LeaseTransactions#commit}. */
    @Override
    public void commit() throws SQLException {
        checkOpen();
        transactions.commit();
    }

    /** See {@link LeaseTransactions#rollback}. */
    @Override
    public void rollback() throws SQLException {
        checkOpen();
        transactions.rollback();
    }

    /** Read-only is {@code PRAGMA query_only}: sqlite-jdbc sets it only when a connection opens. */
    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        checkOpen();
        transactions.setReadOnly(readOnly);
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkOpen();
        return transactions.isReadOnly();
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        checkOpen();
        settings.setTransactionIsolation(level);
    }

    // --- life cycle ---------------------------------------------------------------------------

    /** Hands the connection back to the pool; a second call does nothing. */
    @Override
    public void close() throws SQLException {
        if (CLOSED.compareAndSet(this, 0, 1)) {
            handBack();
        }
    }

    /**
     * Resets the connection while the lane is still held (so that no writer begins before a
     * transaction left open is rolled back), lets the lane go, and only then gives the connection
     * back: once back, another lease may run on it, and the lane's release must not wait for that
     * lease's statements on it, nor read what they changed.
     */
    private void handBack() {
        boolean reusable = false;
        try {
            reusable = pool.readyToReturn(this);
        } finally {
            try {
                transactions.dropWriteLane();
            } finally {
                pool.release(this, reusable);
            }
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
                closeUnderneath();
            } finally {
                handBack();
            }
        }
    }

    /**
     * A driver object of the lease was handed out ({@code unwrap}): see
     * {@link LeaseTransactions#driverExposed()} and {@link LeaseSettings#driverExposed()}.
     */
    void driverExposed() {
        transactions.driverExposed();
        settings.driverExposed();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        checkOpen();
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        connection().markSessionState(); // the caller may register functions or collations on it
        driverExposed();
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

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        checkOpenForStatement();
        transactions.tieToConnection();
        return new GeneratedLeasedDatabaseMetaData(this, delegate.getMetaData());
    }

    /**
     * In auto-commit mode sqlite-jdbc turns auto-commit off and opens the transaction with
     * {@code SAVEPOINT}: the lane is taken first, as for {@code setAutoCommit(false)}.
     */
    @Override
    public Savepoint setSavepoint() throws SQLException {
        checkOpenForStatement();
        return transactions.savepoint(delegate::setSavepoint);
    }

    /** See {@link #setSavepoint()}. */
    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        checkOpenForStatement();
        return transactions.savepoint(() -> delegate.setSavepoint(name));
    }

    /** After a rollback of the whole transaction, that error: see {@link LeaseTransactions#checkSavepointsKept()}. */
    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        checkOpen();
        transactions.checkSavepointsKept();
        delegate.rollback(savepoint);
    }

    /** See {@link #rollback(Savepoint)}. */
    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        checkOpen();
        transactions.checkSavepointsKept();
        delegate.releaseSavepoint(savepoint);
    }
}
